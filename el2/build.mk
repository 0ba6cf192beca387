# SPDX-License-Identifier: BSD-3-Clause
# el2/: the hypervisor image, build/hafnium.bin.
# Generic code (el2/src) is shared with the host unit tests; the aarch64
# and qemu_virt parts are target-only, except the descriptor encoding.

EL2_GENERIC_SRCS := $(wildcard el2/src/*.c)
EL2_AARCH64_SRCS := $(wildcard el2/arch/aarch64/*.c el2/arch/aarch64/*.S) \
	$(wildcard el2/plat/qemu_virt/*.c)
EL2_SRCS := $(EL2_GENERIC_SRCS) $(EL2_AARCH64_SRCS)
EL2_OBJS := $(patsubst %,$(BUILD)/%.o,$(EL2_SRCS))

EL2_INCLUDES := -Iel2/include -Iuapi -Iel2/arch/aarch64/include -Iel2/arch/aarch64 \
	-Iel2/plat/qemu_virt -isystem $(LIBFDT_INC)
# No SIMD in el2's own code (libfdt's is confined to boot); strict alignment
# because it runs with the MMU off at first; LL/SC atomics inline (no
# libgcc run-time detection); no loop-to-memcpy rewriting inside memcpy
# itself.
EL2_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-stack-protector -fno-pie \
	-fno-common -fno-tree-loop-distribute-patterns -MMD -MP $(EL2_INCLUDES)
EL2_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

$(BUILD)/el2/%.c.o: el2/%.c $(DEPS_MK)
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(EL2_CFLAGS) -c $< -o $@

# memcpy loads unaligned sources (see libc.c).
$(BUILD)/el2/arch/aarch64/libc.c.o: EL2_CFLAGS += -mno-strict-align

$(BUILD)/el2/%.S.o: el2/%.S $(DEPS_MK)
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(EL2_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(BUILD)/el2/hafnium.ld: el2/arch/aarch64/hafnium.ld el2/plat/qemu_virt/layout.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) -E -P -x c -D__ASSEMBLER__ $(EL2_INCLUDES) $< -o $@

$(BUILD)/hafnium.elf: $(EL2_OBJS) $(BUILD)/el2/hafnium.ld
	$(TARGET_CC) $(EL2_LDFLAGS) -T $(BUILD)/el2/hafnium.ld -o $@ \
		$(EL2_OBJS) $(LIBFDT_A) $$($(TARGET_CC) -print-libgcc-file-name)

$(BUILD)/hafnium.bin: $(BUILD)/hafnium.elf
	$(TARGET_OBJCOPY) -O binary $< $@

.PHONY: el2
el2: $(BUILD)/hafnium.bin

-include $(EL2_OBJS:.o=.d)
