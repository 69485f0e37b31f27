#ifndef STOCKYARD_MALLOC_H
#define STOCKYARD_MALLOC_H

/// Makes every thread allocate from one glibc malloc arena (`mallopt(M_ARENA_MAX, 1)`); does
/// nothing with another C library.
void stockyard_share_one_malloc_arena(void);

#endif
