# SPDX-License-Identifier: BSD-3-Clause
# Host unit tests of el2's generic code, with ASan and UBSan, over the fake
# architecture (el2/arch/fake), the real aarch64 descriptor encoding and
# the aarch64 trap decoding (el2/arch/aarch64/trap_decode.h).

UNIT_SRCS := $(filter-out el2/src/boot.c,$(wildcard el2/src/*.c)) \
	el2/arch/aarch64/pte.c $(wildcard el2/arch/fake/*.c) \
	$(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(UNIT_SRCS))
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP \
	-Iel2/include -Iuapi -Iel2/arch/fake/include -Iel2/arch/fake -Itests/unit
UNIT_BIN := $(BUILD)/tests/unit/unit_tests

$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) -fsanitize=address,undefined -o $@ $(UNIT_OBJS) -lfdt

.PHONY: unit
unit: $(UNIT_BIN)
	$(UNIT_BIN)

-include $(UNIT_OBJS:.o=.d)
