/* EL2 stacks: one per CPU, plus the boot CPU's until it knows its index.
 * Traps from a VM run on the stack of the CPU they arrive on. */
#include "hf/limits.h"

char cpu_stacks[MAX_CPUS * CPU_STACK_SIZE] __attribute__((aligned(16)));
char boot_stack[CPU_STACK_SIZE] __attribute__((aligned(16)));
