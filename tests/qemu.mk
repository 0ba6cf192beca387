# SPDX-License-Identifier: BSD-3-Clause
# Targets that boot Linux in QEMU, through scripts/qemu.py:
#   make run [SCRIPT=path] [SMP=n] [MEM=size] [CPU=model] [MTE=on|off]
#       under hafnium: a root shell at a terminal; otherwise, or with
#       SCRIPT, that script (default scripts/demo.sh), exiting with its status
#   make check   unit tests, then the kselftests and boot checks in QEMU
#   make bench   instructions from QEMU's start to /init, with and without
#                hafnium; per hypercall; per FFA_RUN round trip and from
#                hfctl to a VM's first console line; each against its anchor
#                under KVM (nVHE and pKVM); into $(BUILD)/bench.txt
# DIRECT=1 boots Linux without hafnium for run and check: the reference, and
# a way to test the images while hafnium does not boot. CPU is QEMU's -cpu
# value (default: scripts/qemu.py's), MTE the machine's tag memory (default:
# on if the CPU has MTE); for check they replace the main CPU.

QEMU_CPU := $(if $(CPU),--cpu $(CPU)) $(if $(filter on,$(MTE)),--mte) \
	$(if $(filter off,$(MTE)),--no-mte)
QEMU_SIZE := $(if $(SMP),--smp $(SMP)) $(if $(MEM),--mem $(MEM)) $(QEMU_CPU)

# Every boot's disk (/dev/vda: a virtio-blk PCI device behind the SMMUv3):
# each 512-byte sector stamped with its number (scripts/mkdisk.py). QEMU
# keeps the boots' writes in a snapshot: the image never changes.
DISK_IMAGE := $(BUILD)/disk.img
DISK_MIB := 64

$(DISK_IMAGE): scripts/mkdisk.py
	@mkdir -p $(@D)
	scripts/mkdisk.py $@ $(DISK_MIB)

ifeq ($(DIRECT),)
RUN_DEPS := $(BUILD)/hafnium.bin $(BUILD)/ramdisk.cpio \
	$(BUILD)/script/ramdisk.cpio
RUN_BOOT := --kernel $(BUILD)/hafnium.bin --initrd $(BUILD)/ramdisk.cpio
RUN_SCRIPT_BOOT := --kernel $(BUILD)/hafnium.bin \
	--initrd $(BUILD)/script/ramdisk.cpio
CHECK_DEPS := $(BUILD)/hafnium.bin $(BUILD)/ramdisk.cpio \
	$(BUILD)/bad-ramdisk.cpio $(BUILD)/initramfs.cpio.gz \
	$(BUILD)/linux/ramdisk.cpio $(BUILD)/linux/initramfs.cpio.gz
CHECK_BOOT := --hafnium $(BUILD)/hafnium.bin --ramdisk $(BUILD)/ramdisk.cpio \
	--bad-ramdisk $(BUILD)/bad-ramdisk.cpio \
	--linux $(BUILD)/linux/ramdisk.cpio $(KERNEL_IMAGE) \
	$(BUILD)/linux/initramfs.cpio.gz
else
RUN_DEPS := $(BUILD)/initramfs.cpio.gz $(BUILD)/script/initramfs.cpio.gz
RUN_BOOT := --direct --kernel $(KERNEL_IMAGE) \
	--initrd $(BUILD)/initramfs.cpio.gz
RUN_SCRIPT_BOOT := --direct --kernel $(KERNEL_IMAGE) \
	--initrd $(BUILD)/script/initramfs.cpio.gz
CHECK_DEPS := $(BUILD)/initramfs.cpio.gz
CHECK_BOOT := --direct $(KERNEL_IMAGE) $(BUILD)/initramfs.cpio.gz
endif
# Both ways: hafnium.ko on a kernel without hafnium.
CHECK_BOOT += --nohyp $(KERNEL_IMAGE) $(BUILD)/initramfs.cpio.gz

run: deps $(RUN_DEPS) $(DISK_IMAGE)
	@if [ -z "$(SCRIPT)" ] && [ -t 0 ] && [ -t 1 ]; then \
		scripts/qemu.py --mode interactive $(QEMU_SIZE) \
			--disk $(DISK_IMAGE) $(RUN_BOOT); \
	else \
		scripts/qemu.py --mode script --log $(BUILD)/run.log \
			$(QEMU_SIZE) --disk $(DISK_IMAGE) $(RUN_SCRIPT_BOOT); \
	fi

# `unit` is the host unit tests' target (tests/unit/build.mk).
check: deps unit $(CHECK_DEPS) $(DISK_IMAGE)
	@tests/check.py --unit $(BUILD)/tests/unit/unit_tests \
		--log-dir $(BUILD)/check $(QEMU_CPU) --disk $(DISK_IMAGE) \
		$(CHECK_BOOT)

bench: deps $(BUILD)/hafnium.bin $(BUILD)/ramdisk.cpio \
		$(BUILD)/initramfs.cpio.gz $(DISK_IMAGE)
	@scripts/bench.py --hafnium $(BUILD)/hafnium.bin \
		--ramdisk $(BUILD)/ramdisk.cpio --kernel $(KERNEL_IMAGE) \
		--initramfs $(BUILD)/initramfs.cpio.gz --disk $(DISK_IMAGE) \
		--log-dir $(BUILD)/bench \
		--out $(BUILD)/bench.txt
