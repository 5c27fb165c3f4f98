#ifndef CCHECKSUM_CRC32C_H
#define CCHECKSUM_CRC32C_H
// CRC-32C with the processor's own instruction (SSE 4.2 `crc32` on x86-64, the CRC
// extension on AArch64): about 8 bytes per cycle instead of one table lookup per byte.
// Header-only, so Swift inlines it; `ChatProtocol.CRC32C` falls back to its tables when
// `cchecksum_crc32c_available()` is 0.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// Per architecture: how to ask for the instruction, and the instruction for 8, 4, 2 and 1
// bytes. The loop below is the same for both.
#if defined(__x86_64__)
#include <cpuid.h>

static inline int cchecksum_crc32c_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}
#define CCHECKSUM_TARGET __attribute__((target("sse4.2")))
#define CCHECKSUM_CRC8(s, v) ((uint32_t)__builtin_ia32_crc32di((s), (v)))
#define CCHECKSUM_CRC4(s, v) __builtin_ia32_crc32si((s), (v))
#define CCHECKSUM_CRC2(s, v) __builtin_ia32_crc32hi((s), (v))
#define CCHECKSUM_CRC1(s, v) __builtin_ia32_crc32qi((s), (v))

#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

static inline int cchecksum_crc32c_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
}
#define CCHECKSUM_TARGET __attribute__((target("crc")))
#define CCHECKSUM_CRC8(s, v) __builtin_arm_crc32cd((s), (v))
#define CCHECKSUM_CRC4(s, v) __builtin_arm_crc32cw((s), (v))
#define CCHECKSUM_CRC2(s, v) __builtin_arm_crc32ch((s), (v))
#define CCHECKSUM_CRC1(s, v) __builtin_arm_crc32cb((s), (v))
#endif

#ifdef CCHECKSUM_TARGET
/// `state` is the running register (the caller inverts before the first and after the last).
CCHECKSUM_TARGET
static inline uint32_t cchecksum_crc32c_update(uint32_t state, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t s = state;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        s = CCHECKSUM_CRC8(s, v);
    }
    // The tail in at most three steps rather than up to seven dependent byte steps.
    if (n >= 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        s = CCHECKSUM_CRC4(s, v);
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        s = CCHECKSUM_CRC2(s, v);
        p += 2;
        n -= 2;
    }
    if (n > 0) s = CCHECKSUM_CRC1(s, *p);
    return s;
}
#else
static inline int cchecksum_crc32c_available(void) { return 0; }
static inline uint32_t cchecksum_crc32c_update(uint32_t state, const void *data, size_t n) {
    (void)data; (void)n;
    return state;
}
#endif

#endif
