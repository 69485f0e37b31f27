#ifndef STOCKYARD_THREADS_H
#define STOCKYARD_THREADS_H

/// Lowers the calling thread's scheduling priority (on Linux, its nice value by 10), for work
/// done in the time other threads leave; nothing elsewhere. Only that thread's: it should end
/// with its work (an unprivileged thread cannot raise its priority again).
void stockyard_lower_thread_priority(void);

/// The calling thread's nice value on Linux (0 elsewhere).
int stockyard_thread_priority(void);

#endif
