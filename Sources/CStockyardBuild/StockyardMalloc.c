#include "StockyardMalloc.h"

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

void stockyard_limit_malloc_arenas(int count) {
#if defined(M_ARENA_MAX)
    mallopt(M_ARENA_MAX, count);
#endif
}

void stockyard_return_free_memory(void) {
#if defined(M_ARENA_MAX)
    malloc_trim(0);
#endif
}
