#ifndef STOCKYARD_SCAN_H
#define STOCKYARD_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// Returned by `stockyard_scan_plain_skus` when this build (or this processor) has not the way
/// asked for: the caller scans the object itself.
#define STOCKYARD_SCAN_UNAVAILABLE (-2)

/// Where a plain SKU object starting at `bytes[start]` ends (the index past its `}`), or -1 when it
/// is not one: `{`, then `"key": number` members separated by `,`, with JSON's four whitespace
/// bytes anywhere between tokens; every key of bytes 0x20–0x7F but `"` and `\`, no two the same;
/// every number an integer without a fraction, exponent, `+` or leading zero, of at most 10
/// digits and at most `limit` in magnitude.
///
/// The object is read 64 bytes at a time, every byte classified (quotes, whitespace, digits, …)
/// with SSE2 or AVX2 and the rules held as relations between the classes' bit masks. Keys in
/// ascending byte order (as Stockyard writes them) are distinct by that; keys in another order are
/// kept and checked distinct through a hash table.
///
/// `way`: -1 the best this processor has; for tests, 0 a byte at a time, 1 SSE2, 2 AVX2. Returns
/// `STOCKYARD_SCAN_UNAVAILABLE` when the build has no vector scan (anything but x86-64 for now) or
/// the processor has not the way asked for.
ptrdiff_t stockyard_scan_plain_skus(const uint8_t *bytes, size_t count, size_t start, int64_t limit, int way);

#endif
