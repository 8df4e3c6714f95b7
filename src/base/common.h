/* Attributes and small helpers shared by every layer. */
#ifndef LC_BASE_COMMON_H
#define LC_BASE_COMMON_H

#include <stddef.h>

/* Fallible functions: the caller must look at the result (as s2n-tls S2N_RESULT_MUST_USE). */
#if defined(__GNUC__) || defined(__clang__)
#define LC_MUST_CHECK __attribute__((warn_unused_result))
#define LC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LC_MUST_CHECK
#define LC_PRINTF(f, a)
#endif

#define LC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
