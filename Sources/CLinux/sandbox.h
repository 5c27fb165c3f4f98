#ifndef CLINUX_SANDBOX_H
#define CLINUX_SANDBOX_H
// The seccomp filter a session runs under: only the system calls its event loop needs
// (I/O on descriptors it already holds, memory, time, exit). Anything else kills the process
// with SIGSYS, and the hub announces it like any other crash.
#include <stddef.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define CLINUX_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CLINUX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

static const long clinux_session_syscalls[] = {
    SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_close, SYS_shutdown,
#ifdef SYS_poll
    SYS_poll,
#endif
    SYS_ppoll,
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
    SYS_epoll_pwait, SYS_epoll_ctl,
    SYS_brk, SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_mprotect,
    SYS_clock_gettime, SYS_gettimeofday, SYS_nanosleep, SYS_clock_nanosleep,
    SYS_getpid, SYS_getrandom, SYS_futex, SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_restart_syscall,
    SYS_exit, SYS_exit_group,
};

/// Installs the session filter (after PR_SET_NO_NEW_PRIVS). 0 on success, -1 with errno.
static inline int clinux_install_session_sandbox(void) {
#ifndef CLINUX_AUDIT_ARCH
    errno = ENOSYS;
    return -1;
#else
    enum { N = sizeof(clinux_session_syscalls) / sizeof(clinux_session_syscalls[0]) };
    struct sock_filter filter[4 + N + 2];
    int i = 0;
    // Only this architecture's calling convention; anything else is killed.
    filter[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    filter[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CLINUX_AUDIT_ARCH, 1, 0);
    filter[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    filter[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int k = 0; k < N; k++) {
        // Match: skip to the ALLOW at the end (N - k jumps ahead, past the KILL).
        filter[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)clinux_session_syscalls[k],
                                                   (unsigned char)(N - k), 0);
    }
    filter[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    filter[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog prog = { .len = (unsigned short)i, .filter = filter };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#endif
}
#endif
