#include "StockyardScan.h"

#if defined(__SSE2__)
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum member { MORE, LAST, NOT_PLAIN, OUT_OF_ORDER };

/// What a scan returns when a key is not after the one before it: the object is scanned again,
/// keeping every key (`key_list`), and holds to the rules when its keys are distinct.
#define KEYS_OUT_OF_ORDER (-3)

/// Where each key of an object is, when its keys are not in order.
typedef struct {
    size_t *starts, *lengths;
    size_t count, capacity;
    int failed;
} key_list;

/// Keeps one more key; on running out of memory marks the list failed (the object then goes to
/// the Swift reader, which finds whatever is wrong with it).
static void keep_key(key_list *keys, size_t start, size_t length) {
    if (keys->failed) return;
    if (keys->count == keys->capacity) {
        size_t capacity = keys->capacity ? keys->capacity * 2 : 256;
        size_t *starts = realloc(keys->starts, capacity * sizeof *starts);
        if (starts) keys->starts = starts;
        size_t *lengths = starts ? realloc(keys->lengths, capacity * sizeof *lengths) : NULL;
        if (!lengths) {
            keys->failed = 1;
            return;
        }
        keys->lengths = lengths;
        keys->capacity = capacity;
    }
    keys->starts[keys->count] = start;
    keys->lengths[keys->count] = length;
    keys->count++;
}

static inline int is_space(uint8_t c) { return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09; }

/// Whether the key at `b`, `b_length` bytes long, comes after the one at `a` in byte order.
static int ascending(const uint8_t *bytes, size_t a, size_t a_length, size_t b, size_t b_length) {
    size_t common = a_length < b_length ? a_length : b_length;
    for (size_t t = 0; t < common; t++) {
        if (bytes[a + t] != bytes[b + t]) return bytes[a + t] < bytes[b + t];
    }
    return a_length < b_length;
}

/// One member from `i` (just past `{` or `,`), a byte at a time. On success the key's place is in
/// `key` and `key_length`, and `next` is past the `,` (MORE) or the `}` (LAST).
static enum member member_by_byte(const uint8_t *b, size_t count, size_t i, int has_previous, size_t *key,
                                  size_t *key_length, int64_t limit, size_t *next, key_list *keys) {
    while (i < count && is_space(b[i])) i++;
    if (i >= count || b[i] != '"') return NOT_PLAIN;
    size_t k = ++i;
    while (i < count && b[i] != '"') {
        uint8_t c = b[i];
        if (c < 0x20 || c == '\\' || c >= 0x80) return NOT_PLAIN;
        i++;
    }
    if (i >= count) return NOT_PLAIN;
    size_t length = i - k;
    if (keys) {
        keep_key(keys, k, length);
    } else if (has_previous && !ascending(b, *key, *key_length, k, length)) {
        return OUT_OF_ORDER;
    }
    i++;
    while (i < count && is_space(b[i])) i++;
    if (i >= count || b[i] != ':') return NOT_PLAIN;
    i++;
    while (i < count && is_space(b[i])) i++;
    if (i >= count) return NOT_PLAIN;
    if (b[i] == '-') i++;
    size_t digits = i;
    int64_t magnitude = 0;
    // At most 10 digits: past that no value is in range, and the sum cannot overflow.
    while (i < count && b[i] >= '0' && b[i] <= '9' && i - digits < 10) magnitude = magnitude * 10 + (b[i++] - '0');
    if (i == digits || (i - digits > 1 && b[digits] == '0') || i >= count || magnitude > limit) return NOT_PLAIN;
    while (i < count && is_space(b[i])) i++;
    if (i >= count) return NOT_PLAIN;
    *key = k;
    *key_length = length;
    *next = i + 1;
    if (b[i] == ',') return MORE;
    if (b[i] == '}') return LAST;
    return NOT_PLAIN;
}

/// The bytes of one 64-byte block, by class: bit `t` stands for byte `t`.
typedef struct {
    uint64_t quote, bad, space, colon, comma, close, minus, digit, zero;
} classes;

static inline uint64_t bits(__m128i v0, __m128i v1, __m128i v2, __m128i v3) {
    return (uint64_t)(uint32_t)_mm_movemask_epi8(v0) | (uint64_t)(uint32_t)_mm_movemask_epi8(v1) << 16
           | (uint64_t)(uint32_t)_mm_movemask_epi8(v2) << 32 | (uint64_t)(uint32_t)_mm_movemask_epi8(v3) << 48;
}

#define EACH16(f) bits(f(v[0]), f(v[1]), f(v[2]), f(v[3]))
/// Every class of a block, from `EACH<width>(<class><width>)`.
#define CLASSIFY(c, width)                       \
    do {                                         \
        (c)->quote = EACH##width(quote##width);  \
        (c)->bad = EACH##width(bad##width);      \
        (c)->space = EACH##width(space##width);  \
        (c)->colon = EACH##width(colon##width);  \
        (c)->comma = EACH##width(comma##width);  \
        (c)->close = EACH##width(close##width);  \
        (c)->minus = EACH##width(minus##width);  \
        (c)->digit = EACH##width(digit##width);  \
        (c)->zero = EACH##width(zero##width);    \
    } while (0)
#define IS(c) _mm_cmpeq_epi8(x, _mm_set1_epi8(c))
static inline __m128i quote16(__m128i x) { return IS('"'); }
/// A backslash, a control byte or one from 0x80 (below 0x20 as a signed byte): none is in a plain key.
static inline __m128i bad16(__m128i x) { return _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), IS('\\')); }
static inline __m128i space16(__m128i x) { return _mm_or_si128(_mm_or_si128(IS(' '), IS('\n')), _mm_or_si128(IS('\r'), IS('\t'))); }
static inline __m128i colon16(__m128i x) { return IS(':'); }
static inline __m128i comma16(__m128i x) { return IS(','); }
static inline __m128i close16(__m128i x) { return IS('}'); }
static inline __m128i minus16(__m128i x) { return IS('-'); }
static inline __m128i zero16(__m128i x) { return IS('0'); }
static inline __m128i digit16(__m128i x) {
    __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
}

static inline __attribute__((always_inline)) void classify_sse2(const uint8_t *p, classes *c) {
    __m128i v[4];
    for (int k = 0; k < 4; k++) v[k] = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    CLASSIFY(c, 16);
}

#define TARGET_AVX2 __attribute__((target("avx2")))
#define IS32(c) _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c))
#define EACH32(f) ((uint64_t)(uint32_t)_mm256_movemask_epi8(f(v0)) | (uint64_t)(uint32_t)_mm256_movemask_epi8(f(v1)) << 32)
static inline TARGET_AVX2 __m256i quote32(__m256i x) { return IS32('"'); }
static inline TARGET_AVX2 __m256i bad32(__m256i x) {
    return _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), x), IS32('\\'));
}
static inline TARGET_AVX2 __m256i space32(__m256i x) {
    return _mm256_or_si256(_mm256_or_si256(IS32(' '), IS32('\n')), _mm256_or_si256(IS32('\r'), IS32('\t')));
}
static inline TARGET_AVX2 __m256i colon32(__m256i x) { return IS32(':'); }
static inline TARGET_AVX2 __m256i comma32(__m256i x) { return IS32(','); }
static inline TARGET_AVX2 __m256i close32(__m256i x) { return IS32('}'); }
static inline TARGET_AVX2 __m256i minus32(__m256i x) { return IS32('-'); }
static inline TARGET_AVX2 __m256i zero32(__m256i x) { return IS32('0'); }
static inline TARGET_AVX2 __m256i digit32(__m256i x) {
    __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8('0'));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
}

static inline __attribute__((always_inline)) TARGET_AVX2 void classify_avx2(const uint8_t *p, classes *c) {
    __m256i v0 = _mm256_loadu_si256((const __m256i *)p), v1 = _mm256_loadu_si256((const __m256i *)(p + 32));
    CLASSIFY(c, 32);
}

/// Each bit of `x` moved on to the first byte after it that is not whitespace (`space`), carrying
/// across blocks: `shift` holds the bit shifted out of the last block, `carry` the sum's carry.
static inline uint64_t following(uint64_t x, uint64_t space, uint64_t *shift, uint64_t *carry) {
    uint64_t shifted = x << 1 | *shift;
    *shift = x >> 63;
    unsigned long long sum, total;
    int c1 = __builtin_uaddll_overflow(shifted, space, &sum);
    int c2 = __builtin_uaddll_overflow(sum, *carry, &total);
    *carry = (uint64_t)(c1 | c2);
    return total & ~space;
}

/// `x` shifted `n` bits towards later bytes, the previous block's `before` filling the low bits.
static inline uint64_t later(uint64_t x, uint64_t before, int n) { return x << n | before >> (64 - n); }

static inline uint64_t word(const uint8_t *p) {
    uint64_t w;
    __builtin_memcpy(&w, p, 8);
    return w;
}

/// The high `n` bytes of a word (all of them from 8 on).
static inline uint64_t first_bytes(size_t n) { return n >= 8 ? ~(uint64_t)0 : ~(~(uint64_t)0 >> (8 * n)); }

static inline __attribute__((always_inline)) uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/// Whether the key of `length` bytes at `k` comes after the one at `a` in byte order (`a < k`).
static inline __attribute__((always_inline)) int key_after(const uint8_t *b, size_t count, size_t a, size_t a_length,
                                                          size_t k, size_t length) {
    size_t common = a_length < length ? a_length : length;
    size_t t = 0;
    while (t < common && k + t + 16 <= count) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + a + t)), y = _mm_loadu_si128((const __m128i *)(b + k + t));
        uint32_t differ = ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) & 0xFFFF;
        if (common - t < 16) differ &= (1u << (common - t)) - 1;
        if (differ) {
            size_t d = t + (size_t)__builtin_ctz(differ);
            return b[a + d] < b[k + d];
        }
        t += 16;
    }
    for (; t < common; t++) {
        if (b[a + t] != b[k + t]) return b[a + t] < b[k + t];
    }
    return a_length < length;
}

/// The object's members from `i` (just past its `{`), a byte at a time.
static ptrdiff_t by_byte(const uint8_t *b, size_t count, size_t i, int64_t limit, key_list *keys) {
    int has_previous = 0;
    size_t key = 0, key_length = 0;
    for (;;) {
        size_t next = i;
        enum member m = member_by_byte(b, count, i, has_previous, &key, &key_length, limit, &next, keys);
        if (m == NOT_PLAIN) return -1;
        if (m == OUT_OF_ORDER) return KEYS_OUT_OF_ORDER;
        has_previous = 1;
        i = next;
        if (m == LAST) return (ptrdiff_t)i;
    }
}

/// The last key an object's scan saw, for the order of the next.
typedef struct {
    int has_previous;
    /// The last key's first 16 bytes as one number (``next_key``); 0 before the first key, and
    /// the largest number once a key is too near the buffer's end to be read so.
    unsigned __int128 value;
    size_t key, key_length;
} key_order;

/// Takes the key of `length` bytes at `open` into `order`: 0 when it is not after the last one;
/// with `keys`, it is kept there instead, whatever its order.
///
/// A key's first 16 bytes are read as one number, zeros past its end (no key holds a zero
/// byte): keys compare as these numbers do, unless the numbers are equal (then the keys are
/// compared whole). Nearly every key is after the last by its number alone.
static inline __attribute__((always_inline)) int next_key(key_order *order, const uint8_t *b, size_t count, size_t open,
                                                         size_t length, key_list *keys) {
    if (keys) {
        keep_key(keys, open, length);
        return 1;
    }
    if (open + 16 <= count) {
        uint64_t high = __builtin_bswap64(word(b + open)) & first_bytes(length);
        uint64_t low = __builtin_bswap64(word(b + open + 8)) & first_bytes(length > 8 ? length - 8 : 0);
        unsigned __int128 value = (unsigned __int128)high << 64 | low;
        if (value > order->value || !order->has_previous) {
            // After the last key, or the first.
        } else if (value < order->value || !key_after(b, count, order->key, order->key_length, open, length)) {
            return 0;
        }
        order->value = value;
    } else {
        if (order->has_previous && !key_after(b, count, order->key, order->key_length, open, length)) return 0;
        order->value = ~(unsigned __int128)0;
    }
    order->has_previous = 1;
    order->key = open;
    order->key_length = length;
    return 1;
}

typedef void (*classifier)(const uint8_t *, classes *);
typedef uint64_t (*xor_scan)(uint64_t);

/// Bit `t` of the result is the parity of bits 0…t of `x`, by one carry-less multiply by all ones.
static inline __attribute__((always_inline)) __attribute__((target("pclmul"))) uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}

static inline __attribute__((always_inline)) ptrdiff_t scan_blocks(const uint8_t *b, size_t count, size_t start,
                                                                   int64_t limit, classifier classify, xor_scan parity,
                                                                   key_list *keys) {
    size_t i = start;
    if (i >= count || b[i] != '{') return -1;
    i++;
    while (i < count && is_space(b[i])) i++;
    if (i < count && b[i] == '}') return (ptrdiff_t)(i + 1);
    // Nine digits are never past the limit; ten are read a byte at a time.
    if (limit < 999999999) return by_byte(b, count, start + 1, limit, keys);

    // Block by block from the `{`, every byte classified, the rules held as relations between the
    // classes' bit masks: after a key's closing quote comes (past whitespace) a colon and nothing
    // else, after a colon a number, after a number a comma or the end, after a comma or the `{` a
    // key; a number's digits are contiguous, after a minus, without a leading zero; no byte outside
    // the keys is anything else, none inside one is a backslash, a control byte or non-ASCII. The
    // keys' order is then checked pair by pair (`next_key`); keys out of order end the scan, which
    // `scan_any_order` runs again keeping them.
    uint64_t inside = 0;                  // all ones when the last block ended inside a key
    uint64_t shift[3] = {0}, carry[3] = {0};
    uint64_t last_digit = 0, last_minus = 0, last_zero_start = 0, last_pairs = 0, last_fours = 0;
    int in_key = 0;
    size_t open = 0;
    key_order order = {0};
    uint8_t tail[64];
    for (size_t base = start;; base += 64) {
        if (base >= count) return -1;
        const uint8_t *p = b + base;
        if (count - base < 64) {
            // The last bytes, padded with bytes no object holds (a NUL is refused anywhere).
            for (size_t t = 0; t < 64; t++) tail[t] = base + t < count ? b[base + t] : 0;
            p = tail;
        }
        classes c;
        classify(p, &c);
        uint64_t strings = parity(c.quote) ^ inside;
        inside = (uint64_t)((int64_t)strings >> 63);
        uint64_t outside = ~(strings | c.quote);
        uint64_t ends = c.close & outside;
        uint64_t region = ends ? (ends ^ (ends - 1)) : ~(uint64_t)0; // through the first end
        uint64_t end_bit = ends & (~ends + 1);
        uint64_t brace = base == start ? 1 : 0;
        outside &= region;
        uint64_t space = c.space & outside;
        uint64_t quote = c.quote & region;
        if (c.bad & strings & ~c.quote & region) return -1;
        uint64_t colon = c.colon & outside, comma = c.comma & outside, minus = c.minus & outside, digit = c.digit & outside;
        if (outside & ~(space | colon | comma | minus | digit | end_bit | brace)) return -1;
        uint64_t closing = quote & ~strings;

        uint64_t digit_start = digit & ~later(digit, last_digit, 1);
        uint64_t after_minus = later(minus, last_minus, 1);
        uint64_t zero_start = c.zero & digit_start;
        if (later(zero_start, last_zero_start, 1) & digit) return -1;
        // Runs of ten digits or more: read again, a byte at a time.
        uint64_t pairs = digit & later(digit, last_digit, 1);
        uint64_t fours = pairs & later(pairs, last_pairs, 2);
        uint64_t eights = fours & later(fours, last_fours, 4);
        if (eights & later(pairs, last_pairs, 8)) {
            if (keys) keys->count = 0;
            return by_byte(b, count, start + 1, limit, keys);
        }
        last_digit = digit;
        last_minus = minus;
        last_zero_start = zero_start;
        last_pairs = pairs;
        last_fours = fours;

        // Each relation as the bytes that break it. That a comma (or the `{`) is followed by a key
        // and a key preceded by one follows from these: whatever else came after a comma, or
        // before a key, would break one of them.
        uint64_t after_closing = following(closing, c.space, &shift[0], &carry[0]);
        uint64_t after_colon = following(colon, c.space, &shift[1], &carry[1]);
        uint64_t after_digit = following(digit, c.space, &shift[2], &carry[2]);
        uint64_t broken = (after_closing ^ colon) | (after_colon ^ (minus | (digit_start & ~after_minus)))
                          | ((after_digit & ~digit) ^ (comma | end_bit)) | (after_minus & ~digit);
        if (broken & region) return -1;

        // Each key, from its opening quote to the next quote (no key holds an escaped one).
        uint64_t rest = quote;
        if (in_key && rest) {
            // The key opened in an earlier block closes at this block's first quote.
            in_key = 0;
            size_t at = base + (size_t)__builtin_ctzll(rest);
            if (!next_key(&order, b, count, open, at - open, keys)) return KEYS_OUT_OF_ORDER;
            rest &= rest - 1;
        }
        for (uint64_t opens = rest & strings; opens; opens &= opens - 1) {
            int o = __builtin_ctzll(opens);
            uint64_t closes = rest & (~(uint64_t)1 << o);
            open = base + (size_t)o + 1;
            if (!closes) {
                in_key = 1;
                break;
            }
            size_t at = base + (size_t)__builtin_ctzll(closes);
            if (!next_key(&order, b, count, open, at - open, keys)) return KEYS_OUT_OF_ORDER;
        }
        if (ends) return (ptrdiff_t)(base + (size_t)__builtin_ctzll(ends) + 1);
    }
}

static ptrdiff_t scan_sse2(const uint8_t *b, size_t count, size_t start, int64_t limit, key_list *keys) {
    return scan_blocks(b, count, start, limit, classify_sse2, prefix_xor, keys);
}

static __attribute__((target("avx2,pclmul"))) ptrdiff_t scan_avx2(const uint8_t *b, size_t count, size_t start,
                                                                  int64_t limit, key_list *keys) {
    return scan_blocks(b, count, start, limit, classify_avx2, prefix_xor_clmul, keys);
}

static ptrdiff_t scan_by_byte(const uint8_t *b, size_t count, size_t start, int64_t limit, key_list *keys) {
    if (start >= count || b[start] != '{') return -1;
    size_t i = start + 1;
    while (i < count && is_space(b[i])) i++;
    if (i < count && b[i] == '}') return (ptrdiff_t)(i + 1);
    return by_byte(b, count, start + 1, limit, keys);
}

/// A seed for the keys' hash, other in every process (from where the system placed this
/// library and the stack), so no file can be made to collide on purpose.
static uint64_t hash_seed(void) {
    static _Atomic uint64_t seed = 0;
    uint64_t known = atomic_load_explicit(&seed, memory_order_relaxed);
    if (!known) {
        int here = 0;
        known = ((uint64_t)(uintptr_t)&seed * 0x9E3779B97F4A7C15u) ^ ((uint64_t)(uintptr_t)&here * 0xC2B2AE3D27D4EB4Fu) ^ (uint64_t)clock();
        known |= 1;
        atomic_store_explicit(&seed, known, memory_order_relaxed);
    }
    return known;
}

static uint64_t hash_key(const uint8_t *b, size_t start, size_t length, uint64_t seed) {
    uint64_t h = seed ^ (length * 0x9E3779B97F4A7C15u);
    size_t t = 0;
    for (; t + 8 <= length; t += 8) h = (h ^ word(b + start + t)) * 0xBF58476D1CE4E5B9u, h ^= h >> 31;
    uint64_t rest = 0;
    for (size_t r = 0; t + r < length; r++) rest |= (uint64_t)b[start + t + r] << (8 * r);
    h = (h ^ rest) * 0x94D049BB133111EBu;
    return h ^ (h >> 29);
}

/// Whether no two of the keys are the same bytes: 1 when distinct, 0 when two are the same, -1
/// when it cannot tell (out of memory, or so many keys on one hash that the Swift reader, whose
/// hash is seeded anew in every process too, should look).
static int distinct(const uint8_t *b, const key_list *keys) {
    size_t n = keys->count;
    if (n >= UINT32_MAX / 8) return -1;
    size_t size = 16;
    while (size < 8 * n) size <<= 1;
    // A slot holds a key's number plus one in its low half, and the high half of its hash:
    // keys of different hashes are told apart without reading them.
    uint64_t *table = calloc(size, sizeof *table);
    if (!table) return -1;
    uint64_t seed = hash_seed();
    int verdict = 1;
    for (size_t k = 0; k < n && verdict == 1; k++) {
        size_t start = keys->starts[k], length = keys->lengths[k];
        uint64_t hash = hash_key(b, start, length, seed);
        uint64_t tag = hash & 0xFFFFFFFF00000000u;
        size_t slot = (size_t)hash & (size - 1);
        for (size_t probes = 0; table[slot]; probes++, slot = (slot + 1) & (size - 1)) {
            size_t other = (size_t)(table[slot] & 0xFFFFFFFFu) - 1;
            if ((table[slot] & 0xFFFFFFFF00000000u) == tag && keys->lengths[other] == length
                && memcmp(b + keys->starts[other], b + start, length) == 0) {
                verdict = 0;
                break;
            }
            if (probes == 64) {
                verdict = -1;
                break;
            }
        }
        if (verdict == 1) table[slot] = tag | (uint64_t)(k + 1);
    }
    free(table);
    return verdict;
}

typedef ptrdiff_t (*scanner)(const uint8_t *, size_t, size_t, int64_t, key_list *);

/// One way's scan; where keys are out of order, again keeping the keys, then a check that they
/// are distinct.
static ptrdiff_t scan_any_order(scanner scan, const uint8_t *b, size_t count, size_t start, int64_t limit) {
    ptrdiff_t end = scan(b, count, start, limit, NULL);
    if (end != KEYS_OUT_OF_ORDER) return end;
    key_list keys = {0};
    end = scan(b, count, start, limit, &keys);
    if (end >= 0 && (keys.failed || distinct(b, &keys) != 1)) end = -1;
    free(keys.starts);
    free(keys.lengths);
    return end;
}

/// Whether the processor has AVX2 and carry-less multiplication, and the system saves the AVX registers.
static int has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX) || !(c & bit_PCLMUL)) return 0;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
}

ptrdiff_t stockyard_scan_plain_skus(const uint8_t *b, size_t count, size_t start, int64_t limit, int way) {
    static _Atomic int avx2 = -1;
    int known = atomic_load_explicit(&avx2, memory_order_relaxed);
    if (known < 0) {
        known = has_avx2();
        atomic_store_explicit(&avx2, known, memory_order_relaxed);
    }
    if (way < 0) way = known ? 2 : 1;
    switch (way) {
    case 0: return scan_any_order(scan_by_byte, b, count, start, limit);
    case 1: return scan_any_order(scan_sse2, b, count, start, limit);
    case 2: return known ? scan_any_order(scan_avx2, b, count, start, limit) : STOCKYARD_SCAN_UNAVAILABLE;
    default: return STOCKYARD_SCAN_UNAVAILABLE;
    }
}

#else

ptrdiff_t stockyard_scan_plain_skus(const uint8_t *b, size_t count, size_t start, int64_t limit, int way) {
    (void)b;
    (void)count;
    (void)start;
    (void)limit;
    (void)way;
    return STOCKYARD_SCAN_UNAVAILABLE;
}

#endif
