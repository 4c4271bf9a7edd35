#ifndef LITOPT_CPROCESS_H
#define LITOPT_CPROCESS_H

#include <sys/types.h>

/// Swaps two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0, or -1 with errno set (EINVAL/ENOSYS where the file system cannot).
int litopt_exchange(const char *a, const char *b);

/// Limits applied to a spawned child before it executes; 0 means "no limit".
typedef struct {
    long long max_file_bytes;  /* RLIMIT_FSIZE: no file it writes grows past this (SIGXFSZ) */
    long long max_data_bytes;  /* RLIMIT_DATA: heap and private mappings */
} litopt_limits;

/// Starts `path` with `argv`/`envp` in `cwd`, stdin from `in_fd`, stdout and stderr to
/// `out_fd`, as the leader of a new process group, killed by the kernel (SIGKILL) if the
/// calling thread's process dies first, with every signal unblocked and at its default.
/// Returns the child's pid (also its process group), or -1 with errno set (also when the
/// program could not be executed).
pid_t litopt_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                   int in_fd, int out_fd, litopt_limits limits);

/// Remembers a process group to kill if this process is interrupted (SIGINT, SIGTERM, SIGHUP).
void litopt_track_group(pid_t group);
/// Forgets a process group (it ended and was reaped).
void litopt_untrack_group(pid_t group);
/// Installs the handlers: on SIGINT, SIGTERM or SIGHUP every tracked group is killed with
/// SIGKILL, then `cleanup` runs (on a thread of its own, not in the signal handler), then
/// the signal is delivered again with its default action.
void litopt_install_interrupt_handlers(void (*cleanup)(void));

#endif
