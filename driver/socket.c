// SPDX-License-Identifier: GPL-2.0
/*
 * AF_HF sockets: datagrams between processes of the primary VM and
 * secondary VMs (docs/driver.md, "Sockets"). socket(AF_HF, SOCK_DGRAM, 0)
 * with struct sockaddr_hf { family, vm_id, port } (uapi/linux/hafnium.h).
 *
 * A message travels as an FF-A indirect message: in the primary's TX page
 * the FF-A partition message header, at HF_MSG_PORT_HEADER_OFFSET a
 * struct hf_msg_port_header (source and destination ports), then the
 * payload; FFA_MSG_SEND2 has the hypervisor copy it to the receiver's RX
 * page. The answers become errnos: BUSY (the receiver has not released its
 * RX yet) makes the sender wait, or fail with EAGAIN if it may not block;
 * INVALID_PARAMETERS (no such VM) EHOSTUNREACH; DENIED (no mailbox)
 * ECONNREFUSED. A message to the primary comes back as the FFA_MSG_SEND2
 * answer of FFA_RUN to the vCPU thread that ran the sender; the thread
 * copies it out of RX, releases RX and queues it to the socket bound to
 * the destination port.
 *
 * As for other datagram families: connect() with AF_UNSPEC dissolves the
 * association (the port stays bound); shutdown(SHUT_RD) makes receives
 * return 0 once the queue is empty and drops what arrives later,
 * shutdown(SHUT_WR) makes sends fail with EPIPE (no SIGPIPE, as AF_UNIX
 * datagrams). poll() is datagram_poll(): always writable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <net/sock.h>

#include <linux/hafnium.h>

#include "hafnium.h"

static_assert(sizeof(struct sockaddr_hf) == 8);
static_assert(sizeof(struct hf_msg_port_header) == 8);
static_assert(HF_MSG_PORT_HEADER_OFFSET >= FFA_MSG_HEADER_SIZE);

/* Retry a send the receiver refused with BUSY at least this often. */
#define HF_SOCK_RETRY_JIFFIES msecs_to_jiffies(10)

struct hf_sock {
	struct sock sk;			/* first: sk_alloc()'s object */
	u32 port;			/* local port; 0: not bound */
	struct hlist_node node;		/* in hf_sock_ports, if bound */
	bool connected;
	u16 peer_vm;
	u32 peer_port;
	struct hf_vm *peer;		/* referenced while connected */
};

/* Where a received message came from, in its skb's control buffer. */
struct hf_sock_cb {
	u16 vm_id;
	u32 port;
};

static inline struct hf_sock *hf_sk(struct sock *sk)
{
	return container_of(sk, struct hf_sock, sk);
}

static struct hf_dev *hf_sock_dev;
/* Bound sockets by local port; hf_sock_lock guards it and their ports. */
static DEFINE_HASHTABLE(hf_sock_ports, 6);
static DEFINE_SPINLOCK(hf_sock_lock);
static u32 hf_sock_next_port = HF_PORT_EPHEMERAL_MIN;
/* Senders waiting for an RX buffer to become free. */
static DECLARE_WAIT_QUEUE_HEAD(hf_sock_send_wait);
static atomic_t hf_sock_released = ATOMIC_INIT(0);

static struct proto hf_proto = {
	.name = "HF",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct hf_sock),
};

/* The bound socket with this port, referenced, or NULL. */
static struct sock *hf_sock_lookup(u32 port)
{
	struct hf_sock *hs;
	struct sock *found = NULL;

	spin_lock_bh(&hf_sock_lock);
	hash_for_each_possible(hf_sock_ports, hs, node, port) {
		if (hs->port == port) {
			found = &hs->sk;
			sock_hold(found);
			break;
		}
	}
	spin_unlock_bh(&hf_sock_lock);
	return found;
}

static bool hf_sock_port_used(u32 port)
{
	struct hf_sock *hs;

	hash_for_each_possible(hf_sock_ports, hs, node, port) {
		if (hs->port == port)
			return true;
	}
	return false;
}

/* Binds to port, or to a free ephemeral port if it is 0. Socket locked. */
static int hf_sock_do_bind(struct hf_sock *hs, u32 port)
{
	u32 n = HF_PORT_EPHEMERAL_MAX - HF_PORT_EPHEMERAL_MIN + 1;
	int ret = 0;

	if (hs->port)
		return -EINVAL;
	spin_lock_bh(&hf_sock_lock);
	if (port) {
		if (hf_sock_port_used(port))
			ret = -EADDRINUSE;
	} else {
		while (n--) {
			u32 p = hf_sock_next_port;

			hf_sock_next_port = p == HF_PORT_EPHEMERAL_MAX ?
				HF_PORT_EPHEMERAL_MIN : p + 1;
			if (!hf_sock_port_used(p)) {
				port = p;
				break;
			}
		}
		if (!port)
			ret = -EADDRNOTAVAIL;
	}
	if (!ret) {
		hs->port = port;
		hash_add(hf_sock_ports, &hs->node, port);
	}
	spin_unlock_bh(&hf_sock_lock);
	return ret;
}

static int hf_sock_addr(const struct sockaddr *addr, int len,
			const struct sockaddr_hf **out)
{
	const struct sockaddr_hf *a = (const struct sockaddr_hf *)addr;

	if (!addr || len < (int)sizeof(*a) || a->family != AF_HF)
		return -EINVAL;
	*out = a;
	return 0;
}

static int hf_sock_bind(struct socket *sock, struct sockaddr *addr, int len)
{
	struct hf_sock *hs = hf_sk(sock->sk);
	const struct sockaddr_hf *a;
	int ret;

	ret = hf_sock_addr(addr, len, &a);
	if (ret)
		return ret;
	/* The local side is the primary. */
	if (a->vm_id != 0 && a->vm_id != HF_PRIMARY_VM_ID)
		return -EADDRNOTAVAIL;
	lock_sock(&hs->sk);
	ret = hf_sock_do_bind(hs, a->port);
	release_sock(&hs->sk);
	return ret;
}

static void hf_sock_drop_peer(struct hf_sock *hs)
{
	if (hs->peer)
		hf_vm_put(hs->peer);
	hs->peer = NULL;
	WRITE_ONCE(hs->connected, false);
}

static int hf_sock_connect(struct socket *sock, struct sockaddr *addr,
			   int len, int flags)
{
	struct hf_sock *hs = hf_sk(sock->sk);
	const struct sockaddr_hf *a;
	struct hf_vm *vm;
	int ret;

	/* AF_UNSPEC dissolves the association, as for UDP. */
	if (addr && len >= (int)sizeof(addr->sa_family) &&
	    addr->sa_family == AF_UNSPEC) {
		lock_sock(&hs->sk);
		hf_sock_drop_peer(hs);
		sock->state = SS_UNCONNECTED;
		release_sock(&hs->sk);
		return 0;
	}
	ret = hf_sock_addr(addr, len, &a);
	if (ret)
		return ret;
	if (a->vm_id <= HF_PRIMARY_VM_ID)
		return -EHOSTUNREACH;
	vm = hf_vm_get(hf_sock_dev, a->vm_id);
	if (!vm)
		return -EHOSTUNREACH;
	lock_sock(&hs->sk);
	ret = hs->port ? 0 : hf_sock_do_bind(hs, 0);
	if (!ret) {
		hf_sock_drop_peer(hs);
		hs->peer = vm;
		hs->peer_vm = a->vm_id;
		hs->peer_port = a->port;
		hs->connected = true;
		sock->state = SS_CONNECTED;
	} else {
		hf_vm_put(vm);
	}
	release_sock(&hs->sk);
	return ret;
}

static int hf_sock_getname(struct socket *sock, struct sockaddr *addr,
			   int peer)
{
	struct hf_sock *hs = hf_sk(sock->sk);
	struct sockaddr_hf *a = (struct sockaddr_hf *)addr;

	memset(a, 0, sizeof(*a));
	a->family = AF_HF;
	lock_sock(&hs->sk);
	if (peer) {
		if (!hs->connected) {
			release_sock(&hs->sk);
			return -ENOTCONN;
		}
		a->vm_id = hs->peer_vm;
		a->port = hs->peer_port;
	} else {
		a->vm_id = HF_PRIMARY_VM_ID;
		a->port = hs->port;
	}
	release_sock(&hs->sk);
	return sizeof(*a);
}

/*
 * Makes the receiver's vCPU the hypervisor named (w2 = id << 16 | vCPU)
 * see the message: one in FFA_MSG_WAIT, or else vCPU 0, which may be
 * running and is kicked to see HF_MAILBOX_READABLE_INTID. One whose thread
 * sleeps is run here and now, until it waits again.
 */
static void hf_sock_wake_vcpu(struct hf_vm *vm, u64 target)
{
	u32 index = target & 0xffff;

	if (!vm || ((target >> 16) & 0xffff) != vm->id ||
	    index >= vm->vcpu_count)
		return;
	if (!hf_vcpu_run_here(&vm->vcpus[index]))
		hf_vcpu_kick(&vm->vcpus[index]);
}

/*
 * One FFA_MSG_SEND2 of the len bytes of msg to the port of a VM (vm: it,
 * if the driver knows it), copied straight from the sender into the TX
 * buffer; msg's iterator is as it was unless 0 is returned. Returns 0,
 * -EBUSY (the receiver's RX is full) or an errno.
 */
static int hf_sock_send_once(struct hf_vm *vm, u16 vm_id, u32 src, u32 dst,
			     struct msghdr *msg, size_t len)
{
	struct hf_dev *hf = hf_sock_dev;
	/* Static: not zeroed again at every send. */
	static const struct arm_smccc_1_2_regs args = {
		.a0 = FFA_MSG_SEND2_32,
	};
	struct arm_smccc_1_2_regs res;
	struct ffa_partition_msg_header h = {
		.offset = HF_MSG_PORT_HEADER_OFFSET,
		.sender_receiver = vm_id,
		.size = sizeof(struct hf_msg_port_header) + len,
	};
	struct hf_msg_port_header ph = {
		.src_port = src,
		.dst_port = dst,
	};
	u8 *tx = page_address(hf->tx);

	/* A fault on the sender's buffer is taken with the lock held. */
	mutex_lock(&hf->mailbox_lock);
	memcpy(tx, &h, sizeof(h));
	memcpy(tx + HF_MSG_PORT_HEADER_OFFSET, &ph, sizeof(ph));
	if (!copy_from_iter_full(tx + HF_MSG_PORT_HEADER_OFFSET + sizeof(ph),
				 len, &msg->msg_iter)) {
		mutex_unlock(&hf->mailbox_lock);
		return -EFAULT;
	}
	arm_smccc_1_2_hvc(&args, &res);
	mutex_unlock(&hf->mailbox_lock);

	if ((u32)res.a0 == FFA_SUCCESS_32) {
		hf_sock_wake_vcpu(vm, res.a2);
		return 0;
	}
	/* The next try copies the same bytes again. */
	iov_iter_revert(&msg->msg_iter, len);
	if ((u32)res.a0 != FFA_ERROR_32)
		return -EPROTO;
	switch ((s32)res.a2) {
	case FFA_BUSY:
		return -EBUSY;
	case FFA_INVALID_PARAMETERS:
		return -EHOSTUNREACH;
	case FFA_DENIED:
		return -ECONNREFUSED;
	default:
		return -EPROTO;
	}
}

/*
 * Whether a VM that answered BUSY may still release its RX: it exists and
 * has not ended (a stopped or crashed VM never will).
 */
static bool hf_sock_vm_runs(struct hf_vm *vm)
{
	return vm && READ_ONCE(vm->phase) == HF_PHASE_RUNNING;
}

static int hf_sock_sendmsg(struct socket *sock, struct msghdr *msg,
			   size_t len)
{
	struct sock *sk = sock->sk;
	struct hf_sock *hs = hf_sk(sk);
	bool nonblock = msg->msg_flags & MSG_DONTWAIT;
	long timeo = sock_sndtimeo(sk, nonblock);
	long wait, left;
	struct hf_vm *vm = NULL;
	u32 src, dst;
	u16 vm_id;
	int ret;

	/*
	 * The kernel adds MSG_BATCH (sendmmsg(), all but the last message)
	 * and MSG_CMSG_COMPAT (32-bit callers) itself.
	 */
	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR |
			       MSG_BATCH | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	if (len > HF_MSG_PAYLOAD_MAX)
		return -EMSGSIZE;

	lock_sock(sk);
	if (msg->msg_name) {
		const struct sockaddr_hf *a;

		ret = hf_sock_addr(msg->msg_name, msg->msg_namelen, &a);
		if (ret)
			goto out_unlock;
		vm_id = a->vm_id;
		dst = a->port;
	} else if (hs->connected) {
		if (READ_ONCE(hs->peer->phase) == HF_PHASE_GONE) {
			ret = -ECONNRESET;
			goto out_unlock;
		}
		vm_id = hs->peer_vm;
		dst = hs->peer_port;
		vm = hf_vm_hold(hs->peer);
	} else {
		ret = -EDESTADDRREQ;
		goto out_unlock;
	}
	/* A source port, so that the VM can answer. */
	ret = hs->port ? 0 : hf_sock_do_bind(hs, 0);
	src = hs->port;
	release_sock(sk);
	if (ret)
		goto out_put;
	if (vm_id <= HF_PRIMARY_VM_ID) {
		ret = -EHOSTUNREACH;
		goto out_put;
	}
	/* Not known to the driver: the hypervisor says whether it exists. */
	if (!vm)
		vm = hf_vm_get(hf_sock_dev, vm_id);

	for (;;) {
		int gen = atomic_read(&hf_sock_released);

		ret = hf_sock_send_once(vm, vm_id, src, dst, msg, len);
		if (ret != -EBUSY)
			break;
		if (!timeo) {
			ret = -EAGAIN;
			break;
		}
		if (!hf_sock_vm_runs(vm)) {
			ret = -ECONNRESET;
			break;
		}
		/* Until the receiver releases its RX, or retry anyway. */
		wait = min_t(long, timeo, HF_SOCK_RETRY_JIFFIES);
		left = wait_event_interruptible_timeout(hf_sock_send_wait,
				atomic_read(&hf_sock_released) != gen, wait);
		if (left < 0) {
			ret = sock_intr_errno(timeo);
			break;
		}
		if (timeo != MAX_SCHEDULE_TIMEOUT)
			timeo -= wait - left;
	}

	if (!ret) {
		if (vm)
			atomic64_inc(&vm->msg_sent);
		ret = len;
	}
out_put:
	if (vm)
		hf_vm_put(vm);
	return ret;

out_unlock:
	release_sock(sk);
	return ret;
}

static int hf_sock_recvmsg(struct socket *sock, struct msghdr *msg,
			   size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct hf_sock_cb *cb;
	struct sk_buff *skb;
	size_t copied;
	int ret;

	/* No descriptors are passed: MSG_CMSG_CLOEXEC changes nothing. */
	if (flags & ~(MSG_DONTWAIT | MSG_TRUNC | MSG_PEEK | MSG_WAITALL |
		      MSG_NOSIGNAL | MSG_CMSG_CLOEXEC | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	skb = skb_recv_datagram(sk, flags, &ret);
	if (!skb) {
		/* Shut down for reading and empty: end of file, also if
		 * the receive may not block.
		 */
		if (ret == -EAGAIN &&
		    (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			return 0;
		return ret;
	}

	copied = min_t(size_t, len, skb->len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	ret = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (ret)
		goto out;
	sock_recv_timestamp(msg, sk, skb);
	if (msg->msg_name) {
		DECLARE_SOCKADDR(struct sockaddr_hf *, a, msg->msg_name);

		cb = (struct hf_sock_cb *)skb->cb;
		memset(a, 0, sizeof(*a));
		a->family = AF_HF;
		a->vm_id = cb->vm_id;
		a->port = cb->port;
		msg->msg_namelen = sizeof(*a);
	}
	ret = (flags & MSG_TRUNC) ? skb->len : copied;
out:
	skb_free_datagram(sk, skb);
	return ret;
}

/* SHUT_RD/WR/RDWR (0/1/2) + 1 are RCV_SHUTDOWN, SEND_SHUTDOWN or both. */
static int hf_sock_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | (how + 1));
	release_sock(sk);
	/* Blocked receivers see it (and return 0), poll() reports it. */
	sk->sk_state_change(sk);
	return 0;
}

static int hf_sock_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct hf_sock *hs;

	if (!sk)
		return 0;
	hs = hf_sk(sk);
	lock_sock(sk);
	spin_lock_bh(&hf_sock_lock);
	if (hs->port)
		hash_del(&hs->node);
	spin_unlock_bh(&hf_sock_lock);
	hf_sock_drop_peer(hs);
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

static int hf_sock_ioctl(struct socket *sock, unsigned int cmd,
			 unsigned long arg)
{
	return -ENOIOCTLCMD;
}

static const struct proto_ops hf_sock_ops = {
	.family = AF_HF,
	.owner = THIS_MODULE,
	.release = hf_sock_release,
	.bind = hf_sock_bind,
	.connect = hf_sock_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = hf_sock_getname,
	.poll = datagram_poll,
	.ioctl = hf_sock_ioctl,
	.listen = sock_no_listen,
	.shutdown = hf_sock_shutdown,
	.sendmsg = hf_sock_sendmsg,
	.recvmsg = hf_sock_recvmsg,
	.mmap = sock_no_mmap,
	.sendpage = sock_no_sendpage,
};

/* The last reference is gone: messages queued after release go too. */
static void hf_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
}

static int hf_sock_create(struct net *net, struct socket *sock, int protocol,
			  int kern)
{
	struct sock *sk;

	if (!kern && !capable(CAP_NET_ADMIN) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != 0)
		return -EPROTONOSUPPORT;

	sk = sk_alloc(net, AF_HF, GFP_KERNEL, &hf_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock_init_data(sock, sk);
	sk->sk_destruct = hf_sock_destruct;
	sock->ops = &hf_sock_ops;
	sock->state = SS_UNCONNECTED;
	INIT_HLIST_NODE(&hf_sk(sk)->node);
	return 0;
}

static const struct net_proto_family hf_sock_family = {
	.family = AF_HF,
	.create = hf_sock_create,
	.owner = THIS_MODULE,
};

/*
 * Copies the message in RX to an skb and releases RX; the mailbox lock is
 * held. Returns the skb, or NULL (counted as refused) if it is malformed.
 */
static struct sk_buff *hf_sock_take_rx(struct hf_dev *hf, u16 sender,
				       u32 *dst, u64 *waiters)
{
	static const struct arm_smccc_1_2_regs release = {
		.a0 = FFA_RX_RELEASE_32,
	};
	const u8 *rx = page_address(hf->rx);
	struct arm_smccc_1_2_regs res;
	struct ffa_partition_msg_header h;
	struct hf_msg_port_header ph;
	struct sk_buff *skb = NULL;
	struct hf_sock_cb *cb;
	size_t len;

	memcpy(&h, rx, sizeof(h));
	if (h.offset < FFA_MSG_HEADER_SIZE || h.offset > HF_MAILBOX_SIZE ||
	    h.size > HF_MAILBOX_SIZE - h.offset || h.size < sizeof(ph) ||
	    (h.sender_receiver >> 16) != sender) {
		pr_warn_ratelimited("VM %u: malformed message to the primary dropped\n",
				    sender);
		goto release;
	}
	memcpy(&ph, rx + h.offset, sizeof(ph));
	len = h.size - sizeof(ph);
	skb = alloc_skb(len, GFP_KERNEL);
	if (!skb)
		goto release;
	skb_put_data(skb, rx + h.offset + sizeof(ph), len);
	cb = (struct hf_sock_cb *)skb->cb;
	cb->vm_id = sender;
	cb->port = ph.src_port;
	*dst = ph.dst_port;
release:
	arm_smccc_1_2_hvc(&release, &res);
	if ((u32)res.a0 == FFA_SUCCESS_32)
		hf_waiters_from(waiters, &res);
	else
		pr_warn_ratelimited("FFA_RX_RELEASE failed: 0x%lx %ld\n",
				    res.a0, (long)res.a2);
	return skb;
}

/*
 * The secondaries in a waiters set (id N is bit N - 1; the primary, bit 0,
 * is skipped) may send again: the hypervisor has made
 * HF_MAILBOX_WRITABLE_INTID pending on their vCPU 0, which may wait or run.
 */
static void hf_sock_wake_vms(struct hf_dev *hf, const u64 *vms)
{
	struct hf_vm *vm;
	unsigned int bit;

	bit = HF_PRIMARY_VM_ID;
	for_each_set_bit_from(bit, (const unsigned long *)vms, HF_MAX_VMS) {
		vm = hf_vm_get(hf, bit + 1);
		if (!vm)
			continue;
		hf_vcpu_kick(&vm->vcpus[0]);
		hf_vm_put(vm);
	}
}

void hf_sock_msg_received(struct hf_vm *vm, u64 sender_receiver)
{
	struct hf_dev *hf = vm->hf;
	u16 sender = (sender_receiver >> 16) & 0xffff;
	struct sk_buff *skb;
	struct hf_vm *from;
	struct sock *sk;
	bool queued = false;
	u64 waiters[HF_WAITERS_WORDS] = { };
	u32 dst = 0;

	mutex_lock(&hf->mailbox_lock);
	skb = hf_sock_take_rx(hf, sender, &dst, waiters);
	mutex_unlock(&hf->mailbox_lock);
	hf_sock_wake_vms(hf, waiters);

	from = sender == vm->id ? vm : hf_vm_get(hf, sender);
	sk = skb ? hf_sock_lookup(dst) : NULL;
	if (sk) {
		const struct hf_sock_cb *cb = (const struct hf_sock_cb *)skb->cb;
		struct hf_sock *hs = hf_sk(sk);

		/*
		 * A connected socket hears only its peer, as UDP's do; one
		 * shut down for reading hears nothing.
		 */
		if (!(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) &&
		    (!READ_ONCE(hs->connected) ||
		     (READ_ONCE(hs->peer_vm) == cb->vm_id &&
		      READ_ONCE(hs->peer_port) == cb->port)) &&
		    sock_queue_rcv_skb(sk, skb) == 0) {
			skb = NULL;
			queued = true;
		}
		sock_put(sk);
	}
	if (from) {
		atomic64_inc(queued ? &from->msg_received : &from->msg_refused);
		if (from != vm)
			hf_vm_put(from);
	}
	kfree_skb(skb);
}

void hf_sock_rx_released(struct hf_dev *hf, const u64 *waiters)
{
	if (waiters[0] & BIT_ULL(HF_PRIMARY_VM_ID - 1)) {
		atomic_inc(&hf_sock_released);
		wake_up_all(&hf_sock_send_wait);
	}
	hf_sock_wake_vms(hf, waiters);
}

int hf_sock_init(struct hf_dev *hf)
{
	int ret;

	hf_sock_dev = hf;
	ret = proto_register(&hf_proto, 0);
	if (ret)
		return ret;
	ret = sock_register(&hf_sock_family);
	if (ret)
		proto_unregister(&hf_proto);
	return ret;
}

void hf_sock_exit(struct hf_dev *hf)
{
	sock_unregister(AF_HF);
	proto_unregister(&hf_proto);
}
