/* The VM table. */
#include "hf/vm.h"

static struct vm primary;

struct vm *vm_primary(void)
{
	return &primary;
}
