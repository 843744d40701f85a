#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Seed inputs for the virtio fuzz targets: a driver that does everything
right (features, queues, DRIVER_OK, one request per queue), in each
target's record format, so the fuzzer starts from a live device rather
than having to find a whole initialisation by chance. Run from the tree's
top; writes tests/fuzz/corpus/<target>/seed-*."""
import os
import struct

RAM = 0x80000000          # FX_RAM_BASE in tests/unit/vq_fixture.h
DATA = 0x10000            # buffers from here (RAM offsets)
QSIZE = 16                # the test devices allow 16
DESC_F_NEXT, DESC_F_WRITE = 1, 2


def queue_layout(q):
    """RAM offsets of queue q's descriptor table, available and used rings."""
    base = 0x1000 * q
    return base, base + 0x400, base + 0x800


class Records:
    """Records of the virtio-mmio driver (tests/fuzz/mmio_driver.h)."""

    def __init__(self):
        self.out = b""

    def write32(self, off, val):
        self.out += struct.pack("<BHBI", 0, off, 0, val)

    def ram(self, off, data):
        # kind 5 writes 3 bytes at val % (size - 4)
        for i in range(0, len(data), 3):
            chunk = data[i:i + 3].ljust(3, b"\0")
            self.out += struct.pack("<B3sI", 5, chunk, off + i)

    def kick(self, q):
        self.out += struct.pack("<BBHI", 6, q, 0, 0)

    def backend(self, b1, b2, b3, val):
        self.out += struct.pack("<BBBBI", 7, b1, b2, b3, val)

    # --- what a correct driver does ---
    def setup(self, features, nqueues):
        self.write32(0x70, 1 | 2)                 # ACKNOWLEDGE | DRIVER
        self.write32(0x24, 1)                     # DriverFeaturesSel
        self.write32(0x20, features >> 32)
        self.write32(0x24, 0)
        self.write32(0x20, features & 0xffffffff)
        self.write32(0x70, 1 | 2 | 8)             # FEATURES_OK
        for q in range(nqueues):
            desc, avail, used = queue_layout(q)
            self.write32(0x30, q)                 # QueueSel
            self.write32(0x38, QSIZE)             # QueueNum
            self.write32(0x80, RAM + desc)
            self.write32(0x90, RAM + avail)
            self.write32(0xa0, RAM + used)
            self.write32(0x44, 1)                 # QueueReady
        self.write32(0x70, 1 | 2 | 8 | 4)         # DRIVER_OK

    def request(self, q, bufs, slot=0):
        """Chain of (length, writable, bytes) buffers as queue q's request
        number slot (0-3): descriptors from 4 * slot, buffers in its own
        0x800 bytes, made available as the slot-th entry."""
        desc, avail, _ = queue_layout(q)
        addr = DATA + 0x2000 * q + 0x800 * slot
        first = 4 * slot
        for i, (length, writable, data) in enumerate(bufs):
            flags = (DESC_F_WRITE if writable else 0) | \
                    (DESC_F_NEXT if i + 1 < len(bufs) else 0)
            self.ram(desc + 16 * (first + i),
                     struct.pack("<QIHH", RAM + addr, length, flags, first + i + 1))
            if data:
                self.ram(addr, data)
            addr += length
        self.ram(avail + 4 + 2 * slot, struct.pack("<H", first))
        self.ram(avail, struct.pack("<HH", 0, slot + 1))


class PciRecords:
    """Records of tests/fuzz/fuzz_virtio_pci.c: config space and BAR accesses."""
    BAR = 0x50000000      # MMAP_PCI_MMIO_BASE
    MSIX_CAP = 0x84       # after the four virtio capabilities

    def __init__(self):
        self.out = b""
        self.ram_writer = Records()

    def cfg32(self, off, val):
        self.out += struct.pack("<BHBI", 3, off, 2 | 4, val)

    def bar32(self, off, val):
        self.out += struct.pack("<BHBI", 0, off, 0, val)

    def bar_read8(self, off):
        self.out += struct.pack("<BHBI", 2, off, 0, 0)

    def ram(self, off, data):
        self.ram_writer.out = b""
        self.ram_writer.ram(off, data)
        self.out += self.ram_writer.out

    def kick(self, q):
        self.out += struct.pack("<BBHI", 6, q, 0, 0)

    def setup(self, features, nqueues):
        self.cfg32(0x10, self.BAR | 4)            # BAR0, 64-bit memory
        self.cfg32(0x14, 0)
        self.cfg32(0x04, 0x6)                     # memory decode, bus master
        self.cfg32(self.MSIX_CAP, 0x8000 << 16)   # MSI-X enable
        for v in range(nqueues + 1):              # vector v: unmasked
            for i, val in enumerate((0x08080040, 0, v, 0)):
                self.bar32(0x4000 + 16 * v + 4 * i, val)
        status = 1 | 2
        self.bar32(0x14, status)                  # device_status (+ queue_select 0)
        self.bar32(0x08, 1)                       # driver_feature_select
        self.bar32(0x0c, features >> 32)
        self.bar32(0x08, 0)
        self.bar32(0x0c, features & 0xffffffff)
        status |= 8
        self.bar32(0x14, status)                  # FEATURES_OK
        self.bar32(0x10, nqueues)                 # config_msix_vector: the last
        for q in range(nqueues):
            desc, avail, used = queue_layout(q)
            self.bar32(0x14, status | q << 16)    # queue_select
            self.bar32(0x18, QSIZE | q << 16)     # queue_size, queue_msix_vector
            for off, gpa in ((0x20, desc), (0x28, avail), (0x30, used)):
                self.bar32(off, RAM + gpa)
                self.bar32(off + 4, 0)
            self.bar32(0x1c, 1)                   # queue_enable
        self.bar32(0x14, status | 4 | (nqueues - 1) << 16)   # DRIVER_OK

    def request(self, q, bufs):
        self.ram_writer.out = b""
        self.ram_writer.request(q, bufs)
        self.out += self.ram_writer.out


def save(target, name, data):
    d = os.path.join("tests/fuzz/corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


VERSION_1 = 1 << 32


def net_seeds():
    hdr = bytes(12)
    for pairs in (1, 2):
        r = Records()
        feats = VERSION_1 | (1 << 5)              # MAC
        nq = 2
        if pairs > 1:
            feats |= (1 << 17) | (1 << 22)        # CTRL_VQ, MQ
            nq = 2 * pairs + 1
        r.setup(feats, nq)
        r.request(1, [(12 + 60, False, hdr + bytes(range(60)))])
        r.kick(1)                                 # transmit a frame
        r.request(0, [(1526, True, b"")])
        r.kick(0)                                 # post a receive buffer
        r.backend(0, 60, 0, 0x11223344)           # a frame arrives
        if pairs > 1:
            # VIRTIO_NET_CTRL_MQ, VQ_PAIRS_SET, 2 pairs; then the ack byte
            r.request(nq - 1, [(4, False, struct.pack("<BBH", 4, 0, 2)), (1, True, b"")])
            r.kick(nq - 1)
        save("fuzz_virtio_net", "%dpair" % pairs, bytes([pairs - 1]) + r.out)


def devices_seeds():
    # fuzz_virtio_devices: byte 0 modulo 4 is the console, the rng, the
    # ports, the balloon.
    r = Records()
    r.setup(VERSION_1 | 1, 2)                     # VIRTIO_CONSOLE_F_SIZE
    r.request(0, [(64, True, b"")])
    r.kick(0)
    r.backend(5, 0, 0, 0x6c6c6568)                # "hell" typed
    r.request(1, [(6, False, b"hello\n")])
    r.kick(1)
    save("fuzz_virtio_devices", "console", b"\0" + r.out)
    r = Records()
    r.setup(VERSION_1, 1)
    r.request(0, [(16, True, b""), (300, True, b"")])
    r.kick(0)
    save("fuzz_virtio_devices", "rng", b"\1" + r.out)
    # The command's ports (MULTIPORT): DEVICE_READY, PORT_READY and
    # PORT_OPEN of stdin on the control queue, a buffer to receive into,
    # "exit 3" on the status port (port 3 transmits on queue 9).
    r = Records()
    r.setup(VERSION_1 | 2, 10)
    r.request(2, [(64, True, b""), (64, True, b"")])
    r.kick(2)
    for slot, (event, port) in enumerate(((0, 0), (3, 0), (6, 0))):
        r.request(3, [(8, False, struct.pack("<IHH", port, event, 1))], slot)
        r.kick(3)
    r.request(0, [(64, True, b"")])
    r.kick(0)
    r.backend(5, 0, 0, 0x6c6c6568)                # "hell" typed
    r.request(9, [(7, False, b"exit 3\n")])
    r.kick(9)
    save("fuzz_virtio_devices", "ports", b"\2" + r.out)
    # The balloon with STATS_VQ and REPORTING: two pages given up (inflate),
    # one taken back (deflate), statistics (free memory, total), a free
    # range reported.
    r = Records()
    r.setup(VERSION_1 | (1 << 1) | (1 << 5), 4)
    pfn = (RAM + DATA) >> 12
    r.request(0, [(8, False, struct.pack("<II", pfn + 4, pfn + 5))])
    r.kick(0)
    r.request(1, [(4, False, struct.pack("<I", pfn + 4))])
    r.kick(1)
    r.request(2, [(20, False, struct.pack("<HQHQ", 4, 1 << 20, 5, 1 << 24))])
    r.kick(2)
    r.request(3, [(0x800, True, b"")])
    r.kick(3)
    save("fuzz_virtio_devices", "balloon", b"\3" + r.out)


def vsock_seeds():
    # fuzz_virtio_vsock: byte 0 bit 0 offers SEQPACKET. Ready, the backend
    # signals both rings, a reset takes them back, and the driver comes again.
    for seqpacket in (0, 1):
        r = Records()
        r.setup(VERSION_1 | seqpacket, 3)
        r.request(0, [(64, True, b"")])
        r.request(2, [(8, True, b"")])
        r.kick(2)                                 # the event queue stays with gicvm
        r.backend(0, 0, 0, 0)
        r.backend(1, 0, 0, 0)
        r.write32(0x70, 0)                        # reset
        r.setup(VERSION_1 | seqpacket, 3)
        save("fuzz_virtio_vsock", "seqpacket" if seqpacket else "stream",
             bytes([seqpacket]) + r.out)


def pci_seeds():
    r = PciRecords()
    r.setup(VERSION_1 | 1 << 9, 2)
    r.request(0, [(16, False, b"request"), (64, True, b"")])
    r.kick(0)                                     # through the ioeventfd
    r.request(1, [(32, True, b"")])
    r.bar32(0x3000 + 4, 1)                        # a notification that exited
    r.bar_read8(0x1000)                           # ISR
    save("fuzz_virtio_pci", "two-queues", r.out)
    # The same device saved and restored at once, then kicked again.
    r.out += struct.pack("<BBHI", 7, 0x7e, 0, 0)
    r.kick(0)
    save("fuzz_virtio_pci", "two-queues-snapshot", r.out)


def blk_seeds():
    # VERSION_1, SEG_MAX, BLK_SIZE, FLUSH, MQ, DISCARD, WRITE_ZEROES
    feats = VERSION_1 | 1 << 2 | 1 << 6 | 1 << 9 | 1 << 12 | 1 << 13 | 1 << 14
    status = (1, True, b"")

    def hdr(kind, sector):
        return (16, False, struct.pack("<IIQ", kind, 0, sector))
    for queues, ro in ((1, False), (2, False), (1, True)):
        r = Records()
        r.setup(feats, queues)
        r.request(0, [hdr(1, 8), (512, False, b"gicvm" * 4), status], 0)   # write
        r.request(0, [hdr(0, 8), (512, True, b""), status], 1)              # read
        r.kick(0)
        r.backend(0, 0, 0, 0)                                               # completions
        r.request(0, [hdr(4, 0), status], 2)                                # flush
        r.request(0, [hdr(8, 0), (20, True, b""), status], 3)               # get ID
        r.kick(0)
        r.backend(0, 0, 0, 0)
        q = queues - 1
        seg = struct.pack("<QII", 16, 8, 0)
        r.request(q, [hdr(11, 0), (16, False, seg), status], 0)             # discard
        r.kick(q)
        save("fuzz_virtio_blk", "%dq%s" % (queues, "-ro" if ro else ""),
             bytes([(queues - 1) | (4 if ro else 0)]) + r.out)


def snapshot_seeds():
    """A well-formed snapshot state file (include/gicvm/snapfile.h)."""
    import zlib

    def section(tag, index, data):
        head = tag + struct.pack("<IQ", index, len(data))
        crc = zlib.crc32(data, zlib.crc32(head))
        return head + struct.pack("<II", crc, 0) + data + b"\0" * (-len(data) % 8)

    argv = [b"run", b"-c", b"2", b"--gic", b"v3-its", b"-d", b"disk.img", b"--name", b"x"]
    conf = b"ARGV" + struct.pack("<I", len(argv)) + b"".join(a + b"\0" for a in argv)
    body = section(b"CONF", 0, conf) + section(b"VCPU", 0, b"VCPU" + bytes(13)) + \
        section(b"TIME", 0, struct.pack("<Q", 12345))
    head = b"GICVMSNP" + struct.pack("<II16sIIQQI", 1, 64, b"seed", 4, 1, 256 << 20, 0, 3)
    head += struct.pack("<I", zlib.crc32(head))
    save("fuzz_snapshot", "conf-vcpu-time", head + body)


if __name__ == "__main__":
    snapshot_seeds()
    blk_seeds()
    pci_seeds()
    net_seeds()
    devices_seeds()
    vsock_seeds()
