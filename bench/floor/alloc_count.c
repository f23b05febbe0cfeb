/* A preloadable shared library that counts heap allocation calls of the whole
 * process (every thread), for the allocations-per-message row. bench/run.py
 * builds it and starts that row's runs with LD_PRELOAD pointing here and
 * PYTHONMALLOC=malloc, so Python objects, libzmq and any Rust runtime all
 * allocate through these functions; the scenario reads the total through
 * bench_alloc_calls().
 *
 * The wrappers call glibc's __libc_* entry points directly rather than
 * looking the next malloc up with dlsym, which itself allocates. Counting is a
 * relaxed atomic increment, so the run slows down very little. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *ptr);

static atomic_ullong alloc_calls;

static inline void counted(void)
{
    atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
}

unsigned long long bench_alloc_calls(void)
{
    return atomic_load_explicit(&alloc_calls, memory_order_relaxed);
}

void *malloc(size_t size)
{
    counted();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    counted();
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
    counted();
    return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
    __libc_free(ptr);
}

void *memalign(size_t align, size_t size)
{
    counted();
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    counted();
    return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    counted();
    void *p = __libc_memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
