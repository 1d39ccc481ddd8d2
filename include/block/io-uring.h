/*
 * aio=io_uring: one process-wide ring (liburing) for the protocol nodes
 * opened with it.  Requests are submitted from the thread that issues them
 * (no worker thread in between); the ring's eventfd is a main-loop fd
 * handler, so completions run on the main loop with the BQL, like the
 * worker-thread completions.
 */
#ifndef BLOCK_IO_URING_H
#define BLOCK_IO_URING_H

#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/iov.h"

typedef struct LuringState LuringState;
typedef struct BlockDriverState BlockDriverState;

enum { LURING_OP_READ, LURING_OP_WRITE, LURING_OP_FLUSH };

/* Is io_uring usable here (built with liburing and allowed by the
 * kernel)?  Sets errp with the reason when not. */
bool luring_available(Error **errp);
/* The process's ring, set up on first use. */
LuringState *luring_get(Error **errp);
/* Start one request on fd; false if it cannot be queued now (the ring is
 * full, or the main loop is not running): the caller falls back to a
 * worker thread.  qiov's array is copied, its buffers must stay valid. */
bool luring_submit(LuringState *ring, BlockDriverState *bs, int fd, int op,
                   int64_t offset, int64_t bytes, IOVector *qiov,
                   void (*cb)(void *opaque, int ret), void *opaque);
/* The ring's eventfd: the main loop calls luring_poll(false) when it is
 * readable; until luring_set_attached(true) submissions are refused. */
int luring_get_eventfd(void);
void luring_set_attached(bool attached);
/* Run the completions that arrived (wait: block for at least one if any
 * request is in flight).  Main-loop thread or a drain, with the BQL. */
void luring_poll(bool wait);
int luring_in_flight(void);
/* Batch submissions between plug and unplug (one io_uring_enter). */
void luring_plug(void);
void luring_unplug(void);

/* block/file-posix.c */
int file_get_fd(BlockDriverState *bs);
LuringState *file_get_ring(BlockDriverState *bs);

#endif
