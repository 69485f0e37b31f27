#if defined(__linux__)
#define _GNU_SOURCE
#endif

#include "StockyardMalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <unistd.h>
#endif
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

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

void stockyard_restart_with_huge_pages(char *const argv[]) {
#if defined(__linux__) && defined(__GLIBC__)
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables != NULL && strstr(tunables, "glibc.malloc.hugetlb") != NULL) return;
    // The tunable is glibc 2.35's.
    int major = 0, minor = 0;
    if (sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) != 2 || major < 2 || (major == 2 && minor < 35)) return;
    FILE *file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (file == NULL) return;
    char mode[128] = {0};
    size_t read = fread(mode, 1, sizeof mode - 1, file);
    fclose(file);
    mode[read] = 0;
    if (strstr(mode, "[madvise]") == NULL) return;
    char value[4096];
    int length = snprintf(value, sizeof value, "%s%sglibc.malloc.hugetlb=1", tunables ? tunables : "", tunables && *tunables ? ":" : "");
    if (length < 0 || (size_t)length >= sizeof value) return;
    char *kept = tunables ? strdup(tunables) : NULL;
    if (tunables != NULL && kept == NULL) return;
    if (setenv("GLIBC_TUNABLES", value, 1) != 0) {
        free(kept);
        return;
    }
    execv("/proc/self/exe", argv);
    // Not restarted: on as before.
    if (kept != NULL) {
        setenv("GLIBC_TUNABLES", kept, 1);
        free(kept);
    } else {
        unsetenv("GLIBC_TUNABLES");
    }
#else
    (void)argv;
#endif
}
