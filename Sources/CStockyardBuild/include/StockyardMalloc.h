#ifndef STOCKYARD_MALLOC_H
#define STOCKYARD_MALLOC_H

/// Caps the number of glibc malloc arenas (`mallopt(M_ARENA_MAX, count)`); does nothing with
/// another C library.
void stockyard_limit_malloc_arenas(int count);

/// Gives the pages of freed memory in every glibc malloc arena back to the system
/// (`malloc_trim(0)`); does nothing with another C library.
void stockyard_return_free_memory(void);

/// Runs this program again, in place (`execv` of /proc/self/exe with the same arguments), with
/// glibc's malloc on transparent huge pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, kept with
/// any tunables already set), when the system gives huge pages only to memory that asks for them
/// (`madvise` in /sys/kernel/mm/transparent_hugepage/enabled). Returns without doing anything
/// when the tunable is set already (by an earlier run of this, or by the operator, who may set
/// `glibc.malloc.hugetlb=0`), with another C library or system, and when the exec fails. Only
/// before anything else is done: the program starts over.
void stockyard_restart_with_huge_pages(char *const argv[]);

#endif
