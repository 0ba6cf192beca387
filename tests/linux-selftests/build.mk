# SPDX-License-Identifier: BSD-3-Clause
# Linux's own selftests that make check runs in the primary, with and without
# hafnium (tests/linux-selftests/run.sh, docs/testing.md): the arm64 ones and
# some timers ones, from linux-source (scripts/deps.sh unpacks them into
# $(SELFTESTS_SRC)), built static by their own Makefiles into
# $(LINUX_SELFTESTS)/<dir>/ and installed as /usr/lib/hafnium/linux/<dir>/
# in the primary of make check's boots that run them.

# A deps.mk written before the selftests were wanted has no SELFTESTS_SRC:
# then the stamp is missing too, and its rule runs deps.sh, which adds both.
SELFTESTS_SRC ?= $(HAFNIUM_CACHE)/selftests
# deps.sh's SELFTESTS_STAMP.
LINUX_SELFTESTS_STAMP := $(SELFTESTS_SRC)/.complete-v1
$(LINUX_SELFTESTS_STAMP):
	@scripts/deps.sh

LINUX_SELFTESTS := $(BUILD)/linux-selftests
# A copy of the sources: bti's and signal's Makefiles build in their source
# directories, which are in the shared cache.
LINUX_SELFTESTS_SRC := $(LINUX_SELFTESTS)/src/tools/testing/selftests

# What run.sh runs and what those programs exec (fp-stress the *-test
# programs, vec-syscfg rdvl-*, pac exec_target), by directory.
LINUX_SELFTESTS_fp := fp-stress sve-ptrace sve-probe-vls vec-syscfg za-fork \
	za-ptrace fpsimd-test sve-test ssve-test za-test rdvl-sve rdvl-sme
LINUX_SELFTESTS_signal := fake_sigreturn_bad_magic fake_sigreturn_bad_size \
	fake_sigreturn_bad_size_for_magic0 fake_sigreturn_duplicated_fpsimd \
	fake_sigreturn_misaligned_sp fake_sigreturn_missing_fpsimd \
	fake_sigreturn_sme_change_vl fake_sigreturn_sve_change_vl \
	mangle_pstate_invalid_compat_toggle mangle_pstate_invalid_daif_bits \
	mangle_pstate_invalid_mode_el1h mangle_pstate_invalid_mode_el1t \
	mangle_pstate_invalid_mode_el2h mangle_pstate_invalid_mode_el2t \
	mangle_pstate_invalid_mode_el3h mangle_pstate_invalid_mode_el3t \
	sme_trap_no_sm sme_trap_non_streaming sme_trap_za sme_vl ssve_regs \
	ssve_za_regs sve_regs sve_vl za_no_regs za_regs
LINUX_SELFTESTS_abi := hwcap ptrace syscall-abi tpidr2
LINUX_SELFTESTS_pauth := pac exec_target
LINUX_SELFTESTS_bti := btitest nobtitest
LINUX_SELFTESTS_mte := check_buffer_fill check_child_memory \
	check_gcr_el1_cswitch check_hugetlb_options check_ksm_options \
	check_mmap_options check_prctl check_tags_inclusion check_user_mem
LINUX_SELFTESTS_tags := tags_test
LINUX_SELFTESTS_ARM64_DIRS := fp signal abi pauth bti mte tags
# The timers tests that neither set the clock nor take long, and whose
# result does not depend on the host's load (docs/testing.md).
LINUX_SELFTESTS_timers := nanosleep inconsistency-check threadtest
LINUX_SELFTESTS_DIRS := $(LINUX_SELFTESTS_ARM64_DIRS) timers
LINUX_SELFTESTS_BINS := $(foreach d,$(LINUX_SELFTESTS_DIRS), \
	$(patsubst %,$(LINUX_SELFTESTS)/$(d)/%,$(LINUX_SELFTESTS_$(d))))
# In the primary (scripts/image.mk's $(BUILD)/linux/ images), as DEST=SRC.
LINUX_SELFTESTS_FILES := usr/lib/hafnium/linux/run.sh=tests/linux-selftests/run.sh \
	$(foreach f,$(LINUX_SELFTESTS_BINS), \
		usr/lib/hafnium/linux/$(f:$(LINUX_SELFTESTS)/%=%)=$(f))

# The arm64 Makefile's own settings, given to each directory's Makefile
# directly (its loop runs `make`, not $(MAKE), and would lose -j), with
# `all`, their first rule not always being it. CFLAGS
# goes in the environment: on the command line it would override the
# directories' own additions. CC carries -static, which every link rule
# then has.
LINUX_SELFTESTS_MAKE := CFLAGS="-Wall -O2 -g -I$(abspath $(LINUX_SELFTESTS_SRC))" \
	$(MAKE) --no-print-directory ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) \
	CC="$(TARGET_CC) -static"

# One build for all of them (a grouped target): the Makefiles decide what
# to rebuild, from sources that change only with the cache's stamp.
$(LINUX_SELFTESTS_BINS) &: $(LINUX_SELFTESTS_STAMP) tests/linux-selftests/build.mk
	rm -rf $(LINUX_SELFTESTS)/src
	mkdir -p $(LINUX_SELFTESTS)/src
	cp -R $(SELFTESTS_SRC)/tools $(LINUX_SELFTESTS)/src/
	@# check_gcr_el1_cswitch forks 1024 processes of 5 threads, each
	@# setting and reading GCR_EL1 1000 times: 2 minutes of TCG. 128 still
	@# switch GCR_EL1 between tasks and CPUs thousands of times.
	sed -i 's/^\(#define NUM_ITERATIONS\t*\)1024$$/\1128/' \
		$(LINUX_SELFTESTS_SRC)/arm64/mte/check_gcr_el1_cswitch.c
	grep -q '^#define NUM_ITERATIONS.*128$$' \
		$(LINUX_SELFTESTS_SRC)/arm64/mte/check_gcr_el1_cswitch.c
	@# signal's and bti's Makefiles copy every program once per program: in
	@# parallel, the copies collide.
	+@set -e; for d in $(LINUX_SELFTESTS_ARM64_DIRS); do \
		mkdir -p $(LINUX_SELFTESTS)/$$d; \
		echo "  SELFTESTS arm64/$$d"; \
		$(LINUX_SELFTESTS_MAKE) -C $(LINUX_SELFTESTS_SRC)/arm64/$$d \
			$$(case $$d in signal|bti) echo -j1 ;; esac) \
			OUTPUT=$(abspath $(LINUX_SELFTESTS))/$$d all >/dev/null; \
	done
	@mkdir -p $(LINUX_SELFTESTS)/timers
	@echo "  SELFTESTS timers"
	+@$(LINUX_SELFTESTS_MAKE) -C $(LINUX_SELFTESTS_SRC)/timers \
		OUTPUT=$(abspath $(LINUX_SELFTESTS))/timers \
		$(patsubst %,$(abspath $(LINUX_SELFTESTS))/timers/%, \
			$(LINUX_SELFTESTS_timers)) >/dev/null
	@touch $(LINUX_SELFTESTS_BINS)
