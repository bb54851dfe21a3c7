/*
 * An event loop on its own host thread, for device backends that wait on
 * host file descriptors (network sockets, tap devices) rather than on the
 * guest.  It is level-triggered epoll plus two hooks per iteration:
 *
 *   prepare(opaque) -> timeout in ms (-1: none)  before each wait
 *   dispatch(opaque)                             after each wait
 *
 * which is what a poll-style library such as libslirp needs (it rebuilds
 * its descriptor set and runs its timers around every wait).
 *
 * Threading: create, watch and hook registration happen before
 * loop_start(); after that every callback runs on the loop thread, and
 * loop_wake() is the only call other threads may make (async-signal-safe:
 * one eventfd write).  loop_destroy() stops and joins the thread.
 */
#ifndef POPEK_VM_LOOP_H
#define POPEK_VM_LOOP_H

#include <stdint.h>

struct loop;

/* events: EPOLLIN/EPOLLOUT/... as reported by epoll. */
typedef void (*loop_fd_fn)(void *opaque, uint32_t events);
typedef int (*loop_prepare_fn)(void *opaque);
typedef void (*loop_dispatch_fn)(void *opaque);
/* Called on the loop thread after a loop_wake(). */
typedef void (*loop_wake_fn)(void *opaque);

int loop_create(struct loop **out);
/* Stop the thread (if started), join it, free everything. */
void loop_destroy(struct loop *l);
int loop_start(struct loop *l);

/* Watch fd for events (level-triggered).  Returns 0 or -errno. */
int loop_watch_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *opaque);
/* Change the events of a watched fd (loop thread, or before start). */
int loop_modify_fd(struct loop *l, int fd, uint32_t events);
int loop_add_hooks(struct loop *l, loop_prepare_fn prepare, loop_dispatch_fn dispatch,
		   void *opaque);
/* Register a wake-up target; returns its id (>= 0) or -errno. */
int loop_add_waker(struct loop *l, loop_wake_fn fn, void *opaque);
/* From any thread: run waker id's callback soon on the loop thread.
 * Repeated wakes before it runs are coalesced. */
void loop_wake(struct loop *l, int id);

#endif
