#ifndef STOCKYARD_MALLOC_H
#define STOCKYARD_MALLOC_H

/// Caps the number of glibc malloc arenas (`mallopt(M_ARENA_MAX, count)`); does nothing with
/// another C library.
void stockyard_limit_malloc_arenas(int count);

/// Gives the pages of freed memory in every glibc malloc arena back to the system
/// (`malloc_trim(0)`); does nothing with another C library.
void stockyard_return_free_memory(void);

#endif
