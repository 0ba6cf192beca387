# SPDX-License-Identifier: BSD-3-Clause
# guests/: the runtime for bare-metal secondary VMs and the sample guests.
# Each guests/<name>.c is linked with the runtime into
# $(BUILD)/guests/<name>.elf and the raw image $(BUILD)/guests/<name>.bin
# (loaded at offset 0 of the VM's memory, IPA HF_VM_RAM_BASE; entry = its
# first byte). See guests/README.md.

GUESTS := $(basename $(notdir $(wildcard guests/*.c)))
GUEST_RT_SRCS := $(wildcard guests/runtime/*.c guests/runtime/*.S)
# The C library functions are el2's (el2/arch/aarch64/libc.c), built again
# with the guests' flags: guests call them only with the MMU on, as el2 does.
GUEST_LIBC_OBJ := $(BUILD)/guests/runtime/libc.c.o
GUEST_RT_OBJS := $(patsubst %,$(BUILD)/%.o,$(GUEST_RT_SRCS)) $(GUEST_LIBC_OBJ)
GUEST_BINS := $(patsubst %,$(BUILD)/guests/%.bin,$(GUESTS))
# A guest's own assembly, guests/<name>.S beside guests/<name>.c, is linked
# into it (regs: a check loop that must own every register).
GUEST_ASM_OBJS := $(patsubst %,$(BUILD)/%.o,$(wildcard guests/*.S))

GUEST_INCLUDES := -Iguests/runtime/include -Iuapi
# EL1 code: no SIMD/FP (CPACR_EL1 traps it), strict alignment (start.S runs
# a few instructions with the MMU off), LL/SC atomics inline, no memcpy
# pattern rewriting (in libc.c), sections for --gc-sections.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-nostdlib -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-stack-protector -fno-pie -fno-common \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-MMD -MP $(GUEST_INCLUDES)
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--gc-sections -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

$(BUILD)/guests/%.c.o: guests/%.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_LIBC_OBJ): el2/arch/aarch64/libc.c
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(GUEST_CFLAGS) -Iel2/include -mno-strict-align -c $< -o $@

$(BUILD)/guests/%.S.o: guests/%.S
	@mkdir -p $(dir $@)
	$(TARGET_CC) $(GUEST_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(BUILD)/guests/guest.ld: guests/runtime/guest.ld \
		guests/runtime/include/guest/layout.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) -E -P -x c -D__ASSEMBLER__ $(GUEST_INCLUDES) $< -o $@

$(BUILD)/guests/%.elf: $(BUILD)/guests/%.c.o $(GUEST_RT_OBJS) \
		$(BUILD)/guests/guest.ld
	$(TARGET_CC) $(GUEST_LDFLAGS) -T $(BUILD)/guests/guest.ld -o $@ \
		$(filter %.o,$^) $$($(TARGET_CC) -print-libgcc-file-name)

$(foreach o,$(GUEST_ASM_OBJS),$(eval $(o:.S.o=.elf): $(o)))

$(BUILD)/guests/%.bin: $(BUILD)/guests/%.elf
	$(TARGET_OBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_BINS)

# Not intermediate files to delete: the objects (no rebuild every time) and
# the ELF files (symbols, for objdump and debugging).
.SECONDARY: $(GUEST_RT_OBJS) $(GUEST_ASM_OBJS) $(patsubst %,$(BUILD)/guests/%.c.o,$(GUESTS)) \
	$(patsubst %,$(BUILD)/guests/%.elf,$(GUESTS))

-include $(GUEST_RT_OBJS:.o=.d) $(GUEST_ASM_OBJS:.o=.d) $(patsubst %,$(BUILD)/guests/%.c.d,$(GUESTS))
