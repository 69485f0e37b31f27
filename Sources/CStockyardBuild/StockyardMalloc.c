#include "StockyardMalloc.h"

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

void stockyard_share_one_malloc_arena(void) {
#if defined(M_ARENA_MAX)
    mallopt(M_ARENA_MAX, 1);
#endif
}
