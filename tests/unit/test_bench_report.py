#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""bench/report.py's arithmetic, on made-up records: prints PASS/FAIL lines."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import report  # noqa: E402


def summary(**kw):
    """A --json-summary as gicvm writes it, with the given parts."""
    s = {"timeline": {"counter_hz": 1000000, "guest_origin_us": 1000, "first_kvm_run_us": 3000,
                      "stop_us": 9000},
         "gicvm": {"notify_mmio_exits": 0, "irq_ack_exits": 0, "irq_line_calls": 0,
                   "signal_msi_calls": 0, "mmio_exits": {"uart8250": 50}},
         "devices": {}, "kvm_vcpu": {"vcpu0": {"exits": 70, "mmio_exit_user": 50},
                                     "vcpu1": {"exits": 30, "mmio_exit_user": 10}}}
    for k, v in kw.items():
        s[k] = v
    return s


def boot(cpus, console, first_counter, stop_us):
    s = summary()
    s["timeline"] = dict(s["timeline"], stop_us=stop_us)
    return {"figure": "boot", "config": {"cpus": cpus, "console": console},
            "guest": {"first_user_counter": first_counter, "counter_hz": 1000000}, "gicvm": s}


def spread_and_ratio():
    s = report.spread([3, None, 1, 2])
    assert s == {"min": 1, "median": 2, "max": 3, "n": 3}, s
    assert report.spread([None]) is None
    assert report.ratio({"median": 3}, {"median": 2}) == 1.5
    assert report.ratio({"median": 3}, {"median": 0}) is None


def boot_times_on_gicvm_timeline():
    # The guest's counter began 1 ms after gicvm; it read 4000 ticks (4 ms at 1 MHz) at init.
    rows = report.boot_figure([boot(1, "serial", 4000, 9000), boot(1, "serial", 6000, 11000),
                               boot(2, "serial", 9000, 18000)])
    one, two = rows
    assert one["first_user_ms"]["min"] == 5 and one["first_user_ms"]["max"] == 7, one
    assert one["poweroff_ms"]["median"] == 10
    assert two["first_user_vs_1cpu_serial"] == round(10 / 6, 3), two
    assert one["vmm_startup_share_of_first_user"] == 0.5


def exits_by_cause():
    s = summary()
    s["gicvm"] = {"notify_mmio_exits": 2, "irq_ack_exits": 40,
                  "mmio_exits": {"uart8250": 100, "virtio-mmio": 60, "pci-ecam": 5}}
    u = report.user_mmio_exits({"gicvm": s})
    assert u == {"console": 100, "notify": 2, "interrupt": 40, "configuration": 23,
                 "total": 165}, u
    assert report.vcpu_sum({"gicvm": summary()}, "exits") == 100
    assert report.vcpu_sum({"gicvm": summary()}, "wfi_exit_stat") is None


def ioctls_per_interrupt():
    recs = []
    for inject, calls, ns in (("irqfd", 0, 100), ("ioctl", 20, 150)):
        s = summary()
        s["gicvm"] = dict(s["gicvm"], signal_msi_calls=calls)
        s["devices"] = {"virtio-blk@pci00:00": {"interrupts": 20}, "uart8250": {"interrupts": 9}}
        cfg = {"transport": "pci", "inject": inject}
        recs.append({"figure": "blk-lat", "config": cfg, "guest": {"median_ns": ns}, "gicvm": s})
    rows = {r["inject"]: r for r in report.irq_figure(recs)}
    assert rows["ioctl"]["inject_ioctls_per_interrupt"]["median"] == 1.0, rows
    assert rows["irqfd"]["inject_ioctls_per_interrupt"]["median"] == 0
    assert rows["ioctl"]["blk_round_trip_vs_irqfd"] == 1.5


def net_backends():
    recs = []
    for transport, backend, mib_s, wakeups in (("mmio", "tap", 10, 8192), ("pci", "tap", 20, 4096),
                                               ("pci", "vhost", 50, 16)):
        s = summary()
        s["gicvm"] = dict(s["gicvm"], io_wakeups=wakeups)
        cfg = {"transport": transport, "backend": backend, "rep": 1}
        recs.append({"figure": "net", "config": dict(cfg, direction="h2g"),
                     "guest": {"mib_s": mib_s, "bytes": 64 << 20}, "gicvm": s})
        recs.append({"figure": "net", "config": dict(cfg, direction="g2h"),
                     "guest": {"mib_s": mib_s * 2, "bytes": 64 << 20}, "gicvm": {}})
    # An old record without a backend counts as the tap path.
    recs.append({"figure": "net", "config": {"transport": "mmio", "direction": "g2h", "rep": 2},
                 "guest": {"mib_s": 20, "bytes": 64 << 20}, "gicvm": {}})
    rows = report.net_figure(recs)
    vhost = report.find(rows, transport="pci", backend="vhost", direction="h2g")
    assert vhost["mib_s_vs_tap"] == 2.5 and vhost["mib_s_vs_mmio"] == 5.0, vhost
    assert vhost["io_wakeups_per_mib"]["median"] == 0.12, vhost   # 16 wake-ups, 128 MiB
    tap = report.find(rows, transport="mmio", backend="tap", direction="g2h")
    assert tap["mib_s"]["n"] == 2 and "io_wakeups_per_mib" not in tap, tap


def rootfs_ratios():
    def rec(run, stop_us, guest=None):
        s = summary()
        s["timeline"] = dict(s["timeline"], stop_us=stop_us)
        return {"figure": "rootfs", "config": {"run": run}, "guest": guest or {}, "gicvm": s}
    fig = report.rootfs_figure([
        rec("initramfs", 2000000), rec("initramfs", 2200000),
        rec("rootfs-true", 2500000), rec("rootfs-true", 2700000),
        rec("walk", 9000000, {"find_ms": 300, "fs_read_ms": 900, "blk_read_ms": 600,
                              "blk_find_ms": 1200})])
    assert fig["rootfs_true_vs_initramfs"] == round(2600 / 2100, 3), fig
    assert fig["fs_read_vs_blk_read"] == 1.5 and fig["find_10k_files_ms"]["median"] == 300, fig
    assert fig["fs_find_vs_blk_find"] == 0.25, fig
    assert report.rootfs_figure([]) is None


def snapshot_ratios():
    def rec(mem, run, timeline, guest, resident=None):
        s = summary()
        s["timeline"] = dict(s["timeline"], **timeline)
        if resident:
            s["gicvm"] = dict(s.get("gicvm", {}), ram_resident_kib=resident)
        return {"figure": "snapshot", "config": {"mem_mib": mem, "run": run}, "guest": guest,
                "gicvm": s}
    hz = {"counter_hz": 1000000}
    recs = []
    for mem, restore_us in ((256, 20000), (4096, 30000)):
        # cold: first user at 100 ms + 4.9 s = 5000 ms; the snapshot's figures
        recs.append(rec(mem, "cold", {"guest_origin_us": 100000},
                        dict(hz, first_user_counter=4900000, snapshot_ms=400,
                             memory_file_kib=900), resident=1000))
        recs.append(rec(mem, "restore", {"first_kvm_run_us": restore_us}, {}))
    rows = {r["mem_mib"]: r for r in report.snapshot_figure(recs)}
    assert rows[256]["cold_first_user_ms"]["median"] == 5000, rows
    assert rows[256]["restore_vs_cold"] == round(20 / 5000, 3), rows
    assert rows[4096]["restore_vs_smallest_ram"] == 1.5, rows
    assert rows[256]["memory_file_vs_touched"] == 0.9, rows
    assert report.snapshot_figure([]) is None


def nested_ratios():
    def rec(level, start_us, stop_us, rtt):
        s = summary()
        s["timeline"] = dict(s["timeline"], first_kvm_run_us=start_us, stop_us=stop_us)
        return {"figure": "nested", "config": {"level": level}, "guest": {"sgi_rtt_ns": rtt},
                "gicvm": s}
    fig = report.nested_figure([rec(1, 10000, 110000, 2000), rec(1, 10000, 130000, 2000),
                                rec(2, 40000, 640000, 50000)])
    assert fig["l1"]["run_ms"]["median"] == 110 and fig["l2"]["start_ms"]["median"] == 40, fig
    assert fig["l2_run_vs_l1"] == round(600 / 110, 3), fig
    assert fig["l2_sgi_rtt_vs_l1"] == 25 and fig["l2_start_vs_l1"] == 4, fig
    # A lost SGI (0) is no round trip; L2 missing entirely leaves no ratios.
    fig = report.nested_figure([rec(1, 10000, 110000, 0)])
    assert fig["l1"]["sgi_rtt_ns"] is None and fig["l2_run_vs_l1"] is None, fig
    assert report.nested_figure([]) is None


failed = 0
def merged_figures():
    """A figure measured on its own goes beside a full run's, the rest untouched."""
    old = {"date": "d0", "gicvm_version": "v0", "repeats": 5, "where": "emulated",
           "figures": {"boot": [1], "nested": {"old": 1}}, "plots": ["boot.png"]}
    new = {"date": "d1", "gicvm_version": "v1", "repeats": 3, "where": "emulated",
           "figures": {"nested": {"new": 1}, "memory": {"bytes": 2}}}
    res = report.merge(old, new, ["nested"])
    assert res["figures"] == {"boot": [1], "nested": {"new": 1}}
    assert res["plots"] == ["boot.png"] and res["date"] == "d0" and res["repeats"] == 5
    assert res["nested_measured"] == {"date": "d1", "gicvm_version": "v1", "repeats": 3,
                                      "where": "emulated"}


for test in (spread_and_ratio, boot_times_on_gicvm_timeline, exits_by_cause, ioctls_per_interrupt,
             net_backends, rootfs_ratios, snapshot_ratios, nested_ratios, merged_figures):
    try:
        test()
        print(f"PASS bench_report/{test.__name__}")
    except AssertionError as e:
        failed += 1
        print(f"FAIL bench_report/{test.__name__}: {e!r}")
sys.exit(1 if failed else 0)
