# SPDX-License-Identifier: BSD-3-Clause
# Images that QEMU boots:
#   $(BUILD)/initramfs.cpio.gz  the primary VM's initramfs: busybox, /init,
#                               hafnium.ko, hfctl, the kselftests, test
#                               modules, bench programs;
#   $(BUILD)/ramdisk.cpio       the hafnium ramdisk: manifest.dtb, vmlinuz
#                               (the primary's kernel), initrd.img;
#   $(BUILD)/bad-ramdisk.cpio   the same with a manifest lacking vm1;
#   $(BUILD)/script/...         both images again with $(RUN_SCRIPT) as
#                               /etc/hafnium/script.sh, for `make run`;
#   $(BUILD)/linux/...          both images again with Linux's own selftests
#                               (tests/linux-selftests), for make check.
# More programs for the primary go in INITRAMFS_FILES as DEST=SRC.

KSELFTESTS := abi_test boot_test cpu_test driver_test hfctl_test hfctl_vm_test vm_test \
	socket_test msg_test irq_test pmu_test regs_test race_test scale_test dma_test
# Run only by the boot without hafnium (hafnium.mode=test-nohyp).
NOHYP_KSELFTESTS := nohyp_test
# Run only by the boot under -icount (hafnium.mode=test-timing).
TIMING_KSELFTESTS := timing_test
KSELFTEST_CFLAGS := -static -O2 -Wall -Wextra -Wno-unused-parameter \
	-I$(KSELFTEST_INC) -Iuapi -pthread
TEST_MODULES := tests/kmod/hf_mem_probe.ko tests/kmod/hf_abi_test.ko \
	tests/kmod/hf_gic_probe.ko tests/kmod/hf_dma_test.ko \
	tests/kmod/hf_vcpu_test.ko
DRIVER_MODULE := driver/hafnium.ko

# Debian's modules for the disk (/dev/vda: virtio-blk on PCI), in the order
# /init loads them: each after those it depends on (CONFIG_VIRTIO and the
# PCIe host are built in).
DISK_MODULES := drivers/virtio/virtio_pci_legacy_dev.ko \
	drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci.ko \
	drivers/block/virtio_blk.ko

INITRAMFS_DIRS := proc/ sys/ dev/ tmp/ etc/ sbin/ usr/bin/ usr/sbin/
INITRAMFS_FILES := \
	bin/busybox=$(BUSYBOX) \
	init=scripts/initramfs/init \
	usr/lib/hafnium/tests/run_all.sh=tests/kselftest/run_all.sh \
	$(foreach t,$(KSELFTESTS), \
		usr/lib/hafnium/tests/$(t)=$(BUILD)/tests/kselftest/$(t)) \
	$(foreach m,$(TEST_MODULES),lib/hafnium/tests/$(notdir $(m))=$(m)) \
	usr/lib/hafnium/nohyp/run_all.sh=tests/kselftest/run_all.sh \
	$(foreach t,$(NOHYP_KSELFTESTS), \
		usr/lib/hafnium/nohyp/$(t)=$(BUILD)/tests/kselftest/$(t)) \
	usr/lib/hafnium/timing/run_all.sh=tests/kselftest/run_all.sh \
	$(foreach t,$(TIMING_KSELFTESTS), \
		usr/lib/hafnium/timing/$(t)=$(BUILD)/tests/kselftest/$(t)) \
	lib/hafnium/hafnium.ko=$(DRIVER_MODULE) \
	$(foreach m,$(DISK_MODULES), \
		lib/modules/$(KVER)/kernel/$(m)=$(KERNEL_MODULES)/kernel/$(m)) \
	usr/bin/hfctl=$(BUILD)/userspace/hfctl \
	usr/lib/hafnium/bench/cntvct=$(BUILD)/tests/bench/cntvct \
	usr/lib/hafnium/bench/calls=$(BUILD)/tests/bench/calls \
	usr/lib/hafnium/bench/vm=$(BUILD)/tests/bench/vm \
	usr/lib/hafnium/bench/msg=$(BUILD)/tests/bench/msg \
	usr/lib/hafnium/bench/irq=$(BUILD)/tests/bench/irq \
	usr/lib/hafnium/bench/kvm=$(BUILD)/tests/bench/kvm \
	usr/lib/hafnium/bench/disk=$(BUILD)/tests/bench/disk \
	$(foreach g,$(GUESTS),lib/hafnium/guests/$(g).bin=$(BUILD)/guests/$(g).bin)
# The SRC half of each DEST=SRC.
cpio_sources = $(foreach f,$(1),$(word 2,$(subst =, ,$(f))))

$(BUILD)/initramfs.cpio.gz: $(call cpio_sources,$(INITRAMFS_FILES)) \
		scripts/mkcpio.sh
	scripts/mkcpio.sh $@ $(INITRAMFS_DIRS) $(INITRAMFS_FILES)

$(BUILD)/tests/kselftest/%: tests/kselftest/%.c $(wildcard tests/kselftest/*.h) \
		uapi/linux/hafnium.h
	@mkdir -p $(@D)
	$(TARGET_CC) $(KSELFTEST_CFLAGS) -o $@ $<

$(BUILD)/tests/bench/%: tests/bench/%.c $(wildcard tests/bench/*.h) \
		tests/kselftest/hf_util.h uapi/linux/hafnium.h
	@mkdir -p $(@D)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Iuapi -o $@ $<

# Kbuild decides what to rebuild, so it always runs (once for all the
# modules: a grouped target); the modules' timestamps change only when they
# are rebuilt.
KBUILD := $(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR) ARCH=arm64 \
	CROSS_COMPILE=$(CROSS_COMPILE)
.PHONY: FORCE
$(TEST_MODULES) $(DRIVER_MODULE) &: FORCE
	$(KBUILD) modules

$(BUILD)/%.dtb: scripts/%.dts
	@mkdir -p $(@D)
	dtc -I dts -O dtb -o $@ $<

# The hafnium ramdisk for the primary's kernel and initramfs $(2), with
# manifest $(1).
ramdisk_files = --align vmlinuz=2097152 \
	manifest.dtb=$(1) vmlinuz=$(KERNEL_IMAGE) initrd.img=$(2)

$(BUILD)/ramdisk.cpio $(BUILD)/bad-ramdisk.cpio: $(BUILD)/%ramdisk.cpio: \
		$(BUILD)/%manifest.dtb $(KERNEL_IMAGE) $(BUILD)/initramfs.cpio.gz \
		scripts/mkcpio.sh
	scripts/mkcpio.sh $@ $(call ramdisk_files,$<,$(BUILD)/initramfs.cpio.gz)

# `make run SCRIPT=path` runs that script, `make run` without a terminal
# the demo. The initramfs is the normal one with a second archive appended
# (Linux unpacks concatenated archives in turn), so the normal images stay
# untouched.
RUN_SCRIPT := $(or $(SCRIPT),scripts/demo.sh)

# A copy of $(RUN_SCRIPT) that changes only when its contents do, so that a
# different SCRIPT= rebuilds the images and the same one does not.
$(BUILD)/script/script.sh: FORCE
	@mkdir -p $(@D)
	@cmp -s $(RUN_SCRIPT) $@ || cp $(RUN_SCRIPT) $@

$(BUILD)/script/overlay.cpio.gz: $(BUILD)/script/script.sh scripts/mkcpio.sh
	scripts/mkcpio.sh $@ etc/hafnium/script.sh=$<

$(BUILD)/script/initramfs.cpio.gz: $(BUILD)/initramfs.cpio.gz \
		$(BUILD)/script/overlay.cpio.gz
	cat $^ >$@

$(BUILD)/script/ramdisk.cpio: $(BUILD)/manifest.dtb $(KERNEL_IMAGE) \
		$(BUILD)/script/initramfs.cpio.gz scripts/mkcpio.sh
	scripts/mkcpio.sh $@ \
		$(call ramdisk_files,$<,$(BUILD)/script/initramfs.cpio.gz)

# Linux's selftests come the same way, in an archive of their own: they
# would triple the normal initramfs, and the time every other boot (and each
# of make bench's figures) spends unpacking it.
$(BUILD)/linux/overlay.cpio.gz: $(call cpio_sources,$(LINUX_SELFTESTS_FILES)) \
		scripts/mkcpio.sh tests/linux-selftests/build.mk
	@mkdir -p $(@D)
	scripts/mkcpio.sh $@ $(LINUX_SELFTESTS_FILES)

$(BUILD)/linux/initramfs.cpio.gz: $(BUILD)/initramfs.cpio.gz \
		$(BUILD)/linux/overlay.cpio.gz
	cat $^ >$@

$(BUILD)/linux/ramdisk.cpio: $(BUILD)/manifest.dtb $(KERNEL_IMAGE) \
		$(BUILD)/linux/initramfs.cpio.gz scripts/mkcpio.sh
	scripts/mkcpio.sh $@ \
		$(call ramdisk_files,$<,$(BUILD)/linux/initramfs.cpio.gz)
