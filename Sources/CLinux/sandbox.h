#ifndef CLINUX_SANDBOX_H
#define CLINUX_SANDBOX_H
// The seccomp filter a session runs under, and the capabilities it gives up first.
//
// Only the system calls its event loop needs, and only on its own descriptors: reads from its
// client socket, hub channel and signalfd, writes and shutdown on the first two, anonymous
// memory that is never executable. A call outside the list, or a mapping that is executable or
// backed by a file, kills the process (SIGSYS) and the hub ends the session like any crash.
// Reading or writing any other descriptor fails with EPERM instead of killing: the Swift
// runtime writes its last words to stderr before it traps on a bug, and that crash should be
// reported as the trap it is, not as a sandbox violation. Either way nothing is written.
#include <stddef.h>
#include <errno.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define CLINUX_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CLINUX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#undef CLINUX_AUDIT_ARCH  // the argument checks read the low word of each argument
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/// Calls allowed whatever their arguments (the descriptor and memory calls are checked apart).
static const long clinux_session_syscalls[] = {
    SYS_close,
#ifdef SYS_poll
    SYS_poll,
#endif
    SYS_ppoll,
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
    SYS_epoll_pwait, SYS_epoll_ctl,
    SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise,
    SYS_clock_gettime, SYS_clock_nanosleep,
    // restart_syscall: an epoll_wait interrupted by SIGSTOP and SIGCONT goes on through it.
    SYS_getpid, SYS_getrandom, SYS_futex, SYS_rt_sigreturn, SYS_restart_syscall,
    SYS_exit, SYS_exit_group,
};

/// A filter under construction: a fixed array, returns appended in order.
struct clinux_bpf { struct sock_filter code[160]; int n; };

static inline void clinux_bpf_emit(struct clinux_bpf *p, struct sock_filter s) {
    if (p->n < (int)(sizeof(p->code) / sizeof(p->code[0]))) p->code[p->n] = s;
    p->n++;
}

#define CLINUX_ARG_LOW(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(__u64))

/// `nr`'s first argument must be one of `fds`; otherwise the call fails with EPERM. A block
/// of 4 + count instructions, entered with the syscall number in A, left only by a return.
static inline void clinux_bpf_fd_rule(struct clinux_bpf *p, long nr, const int *fds, int count) {
    clinux_bpf_emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, (unsigned char)(count + 3)));
    // The kernel takes the descriptor as an unsigned int: the low word is what it uses.
    clinux_bpf_emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CLINUX_ARG_LOW(0)));
    for (int j = 0; j < count; j++) {
        clinux_bpf_emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)fds[j], (unsigned char)(count - j), 0));
    }
    clinux_bpf_emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
    clinux_bpf_emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

/// Installs the session filter after PR_SET_NO_NEW_PRIVS. `readable` and `writable` are the
/// only descriptors the session may read and write (at most 8 each). 0, or -1 with errno.
static inline int clinux_install_session_sandbox(const int *readable, int nreadable, const int *writable, int nwritable) {
#ifndef CLINUX_AUDIT_ARCH
    errno = ENOSYS;
    return -1;
#else
    if (nreadable < 0 || nreadable > 8 || nwritable < 0 || nwritable > 8) { errno = EINVAL; return -1; }
    struct clinux_bpf p = { .n = 0 };
    // Only this architecture's calling convention; anything else is killed.
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CLINUX_AUDIT_ARCH, 1, 0));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
    clinux_bpf_fd_rule(&p, SYS_read, readable, nreadable);
    clinux_bpf_fd_rule(&p, SYS_write, writable, nwritable);
    clinux_bpf_fd_rule(&p, SYS_writev, writable, nwritable);
    clinux_bpf_fd_rule(&p, SYS_shutdown, writable, nwritable);
    // mmap: never executable, never a file (glibc's malloc maps anonymous memory only).
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 6));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CLINUX_ARG_LOW(2)));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 2, 0));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CLINUX_ARG_LOW(3)));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_ANONYMOUS, 1, 0));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    // mprotect: never to executable.
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 4));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CLINUX_ARG_LOW(2)));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    enum { N = sizeof(clinux_session_syscalls) / sizeof(clinux_session_syscalls[0]) };
    for (int k = 0; k < N; k++) {
        // Match: skip to the ALLOW at the end (N - k jumps ahead, past the KILL).
        clinux_bpf_emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)clinux_session_syscalls[k],
                                                         (unsigned char)(N - k), 0));
    }
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    clinux_bpf_emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    if (p.n > (int)(sizeof(p.code) / sizeof(p.code[0]))) { errno = E2BIG; return -1; }
    struct sock_fprog prog = { .len = (unsigned short)p.n, .filter = p.code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#endif
}

/// Empties the capability bounding set, where this process may (it takes CAP_SETPCAP): no
/// exec can give a capability back. 0, or -1 with errno.
static inline int clinux_drop_bounding_set(void) {
    // Dropping takes CAP_SETPCAP. Without it (the usual case: the server left root) every
    // drop would fail with EPERM: some eighty system calls on each session's start, for nothing.
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};
    if (syscall(SYS_capget, &header, data) == 0 && !(data[0].effective & (1u << CAP_SETPCAP))) return 0;
    for (unsigned long cap = 0;; cap++) {
        int present = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (present < 0) break;  // past the last capability this kernel knows
        if (present == 0) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EPERM) return -1;
    }
    return 0;
}

/// Gives up every capability for good: the bounding set (where allowed), the ambient set,
/// then the effective, permitted and inheritable sets, which any process may clear.
/// 0, or -1 with errno.
static inline int clinux_drop_capabilities(void) {
    if (clinux_drop_bounding_set() != 0) return -1;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};
    return (int)syscall(SYS_capset, &header, data);
}

/// For the tests only: makes every later attempt to install a seccomp filter fail (EINVAL,
/// as from a kernel built without filter support), by a filter that refuses just that. The
/// session's own installation then fails for real. 0, or -1 with errno.
static inline int clinux_refuse_later_seccomp_filters(void) {
#ifndef CLINUX_AUDIT_ARCH
    errno = ENOSYS;
    return -1;
#else
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 4, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 2),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CLINUX_ARG_LOW(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EINVAL & SECCOMP_RET_DATA)),
    };
    struct sock_fprog prog = { .len = (unsigned short)(sizeof(code) / sizeof(code[0])), .filter = code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#endif
}
#endif
