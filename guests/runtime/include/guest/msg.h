/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Messages between VMs: FF-A indirect messages (FFA_MSG_SEND2) through the
 * VM's RX/TX page pair, with a port header in front of the payload so that
 * a guest can talk to AF_HF sockets in the primary. In the TX/RX page:
 *
 *   0   struct ffa_partition_msg_header (flags 0, offset MSG_FFA_OFFSET,
 *       sender_receiver, size = 8 + payload length)
 *   32  struct msg_port_header { src_port, dst_port } (the primary's
 *       struct hf_msg_port_header: the same two u32 in that order)
 *   40  the payload, up to MSG_MAX bytes
 *
 * The calls are not reentrant: use them from one vCPU at a time.
 */
#ifndef GUEST_MSG_H
#define GUEST_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "hf/abi.h"

/* Where the FF-A payload (the port header) starts in a message we send;
 * received messages are read at whatever offset their header gives. */
#define MSG_FFA_OFFSET 32

struct msg_port_header {
	uint32_t src_port;
	uint32_t dst_port;
};

/* The largest payload after the port header. */
#define MSG_MAX                                                               \
	(HF_MAILBOX_SIZE - MSG_FFA_OFFSET - sizeof(struct msg_port_header))

/* Maps the runtime's TX/RX pages (4 KiB each, page aligned, in bss) with
 * FFA_RXTX_MAP_64, and installs the handler of HF_MAILBOX_WRITABLE_INTID. Returns 0 (also if already mapped by msg_init) or the
 * negative FF-A error code. */
int msg_init(void);

/* Sends len bytes of data to VM receiver, from port src_port to port
 * dst_port. While the receiver's RX buffer is full (BUSY), vCPU 0 sleeps
 * until HF_MAILBOX_WRITABLE_INTID says it was released (msg_init installs
 * the handler of that id; msg_send enables it while it waits), other
 * vCPUs yield to the primary; then it tries again: a message is never
 * dropped. Returns 0 or a
 * negative FF-A error code: INVALID_PARAMETERS for len > MSG_MAX, an
 * unknown receiver or this VM itself; DENIED if msg_init has not mapped
 * the mailbox or the receiver has none. */
int msg_send(uint16_t receiver, uint32_t src_port, uint32_t dst_port,
	     const void *data, size_t len);

/* Waits (FFA_MSG_WAIT) for a message, copies at most maxlen bytes of its
 * payload to buf, its sender's VM id to *sender and its ports to
 * *src_port, *dst_port (each pointer may be NULL), and releases the RX
 * buffer (FFA_RX_RELEASE). Returns the payload's length (which may exceed
 * maxlen: the rest is lost) or a negative FF-A error code (DENIED without
 * msg_init; INTERRUPTED if one of this vCPU's enabled interrupts is
 * pending while IRQs are masked: take it, then wait again). A message
 * shorter than a port header counts as payload with ports 0. With IRQs
 * unmasked, interrupts are taken meanwhile and the wait goes on. */
int msg_wait(uint16_t *sender, uint32_t *src_port, uint32_t *dst_port,
	     void *buf, size_t maxlen);

/* This VM's id (FFA_ID_GET), read once by msg_init; 0 before. */
uint16_t msg_own_id(void);

#endif /* GUEST_MSG_H */
