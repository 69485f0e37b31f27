#include "StockyardThreads.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void stockyard_lower_thread_priority(void) {
#if defined(__linux__)
    // On Linux a thread has a nice value of its own: the process's other threads keep theirs.
    pid_t thread = (pid_t)syscall(SYS_gettid);
    int now = getpriority(PRIO_PROCESS, (id_t)thread);
    (void)setpriority(PRIO_PROCESS, (id_t)thread, now + 10);
#endif
}

int stockyard_thread_priority(void) {
#if defined(__linux__)
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
#else
    return 0;
#endif
}
