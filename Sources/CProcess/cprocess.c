#define _GNU_SOURCE
#include "cprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int litopt_exchange(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

pid_t litopt_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                   int in_fd, int out_fd, litopt_limits limits) {
    /* The child reports a failed exec through this pipe (closed on a successful exec). */
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);  /* no handler of ours runs in the child */
    pid_t pid = fork();
    if (pid == 0) {
        /* Only async-signal-safe calls from here to execve. */
        for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);  /* the parent died before prctl */
        if (limits.max_file_bytes > 0) {
            struct rlimit r = { (rlim_t)limits.max_file_bytes, (rlim_t)limits.max_file_bytes };
            setrlimit(RLIMIT_FSIZE, &r);
        }
        if (limits.max_data_bytes > 0) {
            struct rlimit r = { (rlim_t)limits.max_data_bytes, (rlim_t)limits.max_data_bytes };
            setrlimit(RLIMIT_DATA, &r);
        }
        if (cwd && chdir(cwd) != 0) goto fail;
        if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) goto fail;
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
    fail:;
        int e = errno;
        ssize_t ignored = write(report[1], &e, sizeof e);
        (void)ignored;
        _exit(127);
    }
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        errno = saved;
        return -1;
    }
    /* Also set from here, so the group exists before anyone signals it. */
    setpgid(pid, pid);
    int e = 0;
    ssize_t n;
    do { n = read(report[0], &e, sizeof e); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof e) {
        int status;
        waitpid(pid, &status, 0);
        errno = e;
        return -1;
    }
    return pid;
}

#define MAX_GROUPS 256
static _Atomic pid_t groups[MAX_GROUPS];

void litopt_track_group(pid_t group) {
    for (int i = 0; i < MAX_GROUPS; i++) {
        pid_t expected = 0;
        if (atomic_compare_exchange_strong(&groups[i], &expected, group)) return;
    }
}

void litopt_untrack_group(pid_t group) {
    for (int i = 0; i < MAX_GROUPS; i++) {
        pid_t expected = group;
        if (atomic_compare_exchange_strong(&groups[i], &expected, 0)) return;
    }
}

/* The handler kills the tracked groups at once (async-signal-safe), then wakes a watcher
   thread through a pipe; the watcher runs the cleanup callback in an ordinary context and
   ends the process with the signal's default action. */
static int interrupt_pipe[2] = { -1, -1 };
static void (*cleanup_callback)(void);

static void on_interrupt(int signo) {
    for (int i = 0; i < MAX_GROUPS; i++) {
        pid_t g = atomic_load(&groups[i]);
        if (g > 0) kill(-g, SIGKILL);
    }
    unsigned char b = (unsigned char)signo;
    if (interrupt_pipe[1] < 0 || write(interrupt_pipe[1], &b, 1) != 1) {
        signal(signo, SIG_DFL);
        raise(signo);
    }
}

static void *interrupt_watcher(void *unused) {
    (void)unused;
    unsigned char b = 0;
    ssize_t n;
    do { n = read(interrupt_pipe[0], &b, 1); } while (n < 0 && errno == EINTR);
    if (n == 1) {
        if (cleanup_callback) cleanup_callback();
        signal(b, SIG_DFL);
        sigset_t only;
        sigemptyset(&only);
        sigaddset(&only, b);
        pthread_sigmask(SIG_UNBLOCK, &only, NULL);
        raise(b);
    }
    return NULL;
}

void litopt_install_interrupt_handlers(void (*cleanup)(void)) {
    cleanup_callback = cleanup;
    if (interrupt_pipe[0] < 0 && pipe2(interrupt_pipe, O_CLOEXEC) == 0) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, interrupt_watcher, NULL) == 0) pthread_detach(thread);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    int signals[] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++) sigaction(signals[i], &action, NULL);
}
