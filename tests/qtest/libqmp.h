/*
 * libqmp: a QMP client for tests: read replies and events line by line
 * (events that arrive while waiting for an answer are kept for
 * qmp_wait_event), send raw text, and check answers.  Every helper fails
 * the test when turtle does not answer within QMP_TIMEOUT_MS.
 */
#ifndef LIBQMP_H
#define LIBQMP_H

#include <json-glib/json-glib.h>
#include <stdbool.h>

#define QMP_TIMEOUT_MS 10000

typedef struct QMPClient {
    int fd;
    GString *rx;
    GQueue events;      /* events that arrived while awaiting an answer */
} QMPClient;

/* Connect to a Unix socket (retrying until it exists). */
int qmp_unix_connect(const char *path);
/* Start a client on a connected fd. */
void qmp_client_init(QMPClient *c, int fd);
void qmp_client_close(QMPClient *c);

/* One line (one JSON value) from the monitor, parsed; NULL on timeout or
 * end of file.  Free with json_node_unref. */
JsonNode *qmp_recv(QMPClient *c);
void qmp_send_raw(QMPClient *c, const char *text);
/* The next answer (events before it are queued for qmp_wait_event). */
JsonNode *qmp_recv_answer(QMPClient *c);
JsonNode *qmp_cmd(QMPClient *c, const char *text);
/* The "return" member of the answer (asserting there is one); the node
 * stays owned by *answer. */
JsonNode *qmp_return(JsonNode *answer);
/* Assert an error of class cls whose desc contains desc_part (if not
 * NULL); frees answer. */
void qmp_assert_error(JsonNode *answer, const char *cls, const char *desc_part);
void qmp_assert_empty_return(JsonNode *answer);
void qmp_assert_greeting(QMPClient *c);
void qmp_negotiate(QMPClient *c);
/* Wait for an event by name and return its "data" (owned by *ev). */
JsonObject *qmp_wait_event(QMPClient *c, const char *name, JsonNode **ev);
/* human-monitor-command: what HMP printed, with LF line ends (it checks
 * that turtle sent CR LF, as QEMU does).  Free with g_free. */
char *qmp_hmp(QMPClient *c, const char *cmdline);

#endif
