#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench, last step: BENCH-RESULT records -> results.json, plots, a table.

Each record is one measurement: {"figure", "config", "guest", "gicvm"}, where
"guest" is what gicvm-bench printed in the guest and "gicvm" is gicvm's
--json-summary of that run. Under emulation absolute times mean little, so
every figure is a count, or a ratio between configurations of the same run,
with min/median/max over the repeats.
"""
import argparse
import json
import statistics
import sys
import time


def spread(values):
    """min/median/max (and how many) of the values that exist."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"min": min(v), "median": statistics.median(v), "max": max(v), "n": len(v)}


def ratio(a, b):
    """a's median over b's (None if either is missing or b is 0)."""
    if not a or not b or not b["median"]:
        return None
    return round(a["median"] / b["median"], 3)


def group(records, figure, keys):
    """Records of one figure, by the values named in keys (config's, or the guest's)."""
    out = {}
    for r in records:
        if r["figure"] == figure:
            key = tuple(r["config"].get(k, r["guest"].get(k)) for k in keys)
            out.setdefault(key, []).append(r)
    return out


def find(rows, **match):
    """The first row whose fields have the given values, or None."""
    return next((r for r in rows if all(r.get(k) == v for k, v in match.items())), None)


def get(row, key):
    """row[key], or None when there is no row."""
    return row[key] if row else None


def vcpu_sum(rec, stat):
    """A KVM vCPU statistic summed over the vCPUs (None if KVM has no such stat)."""
    vcpus = rec["gicvm"].get("kvm_vcpu", {})
    vals = [v[stat] for v in vcpus.values() if isinstance(v, dict) and stat in v]
    return sum(vals) if vals else None


def virtio_interrupts(rec):
    devs = rec["gicvm"].get("devices", {})
    return sum(d.get("interrupts", 0) for k, d in devs.items()
               if k.startswith("virtio") and isinstance(d, dict))


def user_mmio_exits(rec):
    """Userspace MMIO exits by cause: console, configuration, notify, interrupt."""
    g = rec["gicvm"].get("gicvm", {})
    regions = g.get("mmio_exits", {})
    console = regions.get("uart8250", 0)
    notify = g.get("notify_mmio_exits", 0)
    irq = g.get("irq_ack_exits", 0)
    total = sum(regions.values())
    return {"console": console, "notify": notify, "interrupt": irq,
            "configuration": total - console - notify - irq, "total": total}


KVM_EXITS = ["exits", "mmio_exit_user", "mmio_exit_kernel", "wfi_exit_stat",
             "wfe_exit_stat", "hvc_exit_stat", "signal_exits"]


def exits_of(rec):
    out = {"user_mmio": user_mmio_exits(rec)}
    out["kvm"] = {k: vcpu_sum(rec, k) for k in KVM_EXITS}
    return out


def exit_spread(runs):
    """Per-kind spreads of exits over a group of runs."""
    ex = [exits_of(r) for r in runs]
    return {
        "user_mmio": {k: spread([e["user_mmio"][k] for e in ex]) for k in ex[0]["user_mmio"]},
        "kvm": {k: spread([e["kvm"][k] for e in ex]) for k in KVM_EXITS
                if any(e["kvm"][k] is not None for e in ex)},
    }


def first_user_ms(rec):
    """A boot's first userspace instruction on gicvm's timeline, in ms (None if unknown)."""
    t, g = rec["gicvm"].get("timeline", {}), rec["guest"]
    if "first_user_counter" not in g or not t.get("guest_origin_us"):
        return None
    return t["guest_origin_us"] / 1000 + g["first_user_counter"] * 1000 / g["counter_hz"]


def boot_figure(records):
    rows = []
    groups = group(records, "boot", ["cpus", "console"])
    for (cpus, console), runs in sorted(groups.items()):
        first, off, vmm, rss = [], [], [], []
        for r in runs:
            t = r["gicvm"].get("timeline", {})
            first.append(first_user_ms(r))
            off.append(t.get("stop_us", 0) / 1000 or None)
            vmm.append(t.get("first_kvm_run_us", 0) / 1000 or None)
            rss.append(r["gicvm"].get("vmm_rss_kib"))
        rows.append({"cpus": cpus, "console": console,
                     "first_user_ms": spread(first), "poweroff_ms": spread(off),
                     "vmm_startup_ms": spread(vmm), "vmm_rss_kib": spread(rss)})
    base = find(rows, cpus=1, console="serial")
    for r in rows:
        r["first_user_vs_1cpu_serial"] = ratio(r["first_user_ms"], get(base, "first_user_ms"))
        r["poweroff_vs_1cpu_serial"] = ratio(r["poweroff_ms"], get(base, "poweroff_ms"))
        r["vmm_startup_share_of_first_user"] = ratio(r["vmm_startup_ms"], r["first_user_ms"])
    return rows


def exits_figure(records):
    """Exits of whole runs: boots (console, vCPUs) and runs doing disk I/O (transport)."""
    rows = []
    for (cpus, console), runs in sorted(group(records, "boot", ["cpus", "console"]).items()):
        rows.append({"run": f"boot {cpus}cpu {console}", **exit_spread(runs)})
    for (transport, inject), runs in sorted(group(records, "blk-lat",
                                                  ["transport", "inject"]).items()):
        if inject == "irqfd":
            row = {"run": f"blk I/O {transport}", **exit_spread(runs)}
            row["virtio_interrupts"] = spread([virtio_interrupts(r) for r in runs])
            rows.append(row)
    return rows


def irq_figure(records):
    rows = []
    lat = group(records, "blk-lat", ["transport", "inject"])
    ipi = group(records, "ipi", ["transport", "inject"])
    qd32 = group(records, "blk-qd32", ["transport", "inject"])
    for (transport, inject), runs in sorted(lat.items()):
        per_irq = []
        for r in runs:
            g = r["gicvm"].get("gicvm", {})
            n = virtio_interrupts(r)
            calls = g.get("irq_line_calls", 0) + g.get("signal_msi_calls", 0)
            per_irq.append(calls / n if n else None)
        user = [user_mmio_exits(r) for r in runs]
        rows.append({
            "transport": transport, "inject": inject,
            "blk_round_trip_ns": spread([r["guest"].get("median_ns") for r in runs]),
            "ipi_round_trip_ns": spread([r["guest"].get("median_ns")
                                         for r in ipi.get((transport, inject), [])]),
            "blk_qd32_iops": spread([r["guest"].get("iops")
                                     for r in qd32.get((transport, inject), [])]),
            "inject_ioctls_per_interrupt": spread(per_irq),
            "irq_ack_exits_per_interrupt": spread(
                [u["interrupt"] / max(virtio_interrupts(r), 1) for u, r in zip(user, runs)]),
        })
    for r in rows:
        base = find(rows, transport=r["transport"], inject="irqfd")
        for key in ("blk_round_trip_ns", "ipi_round_trip_ns"):
            r[key[:-3] + "_vs_irqfd"] = ratio(r[key], get(base, key))
        r["blk_qd32_iops_vs_irqfd"] = ratio(r["blk_qd32_iops"], get(base, "blk_qd32_iops"))
    return rows


def blk_figure(records):
    rows = []
    groups = group(records, "blk", ["transport", "backend", "pattern", "qd"])
    for (transport, backend, pattern, qd), runs in sorted(groups.items()):
        rows.append({"transport": transport, "backend": backend, "pattern": pattern, "qd": qd,
                     "iops": spread([r["guest"].get("iops") for r in runs]),
                     "mib_s": spread([r["guest"].get("mib_s") for r in runs]),
                     "errors": sum(r["guest"].get("errors", 0) for r in runs)})
    for r in rows:
        same = {k: r[k] for k in ("transport", "backend", "pattern", "qd")}
        r["iops_vs_mmio"] = ratio(r["iops"], get(find(rows, **dict(same, transport="mmio")), "iops"))
        r["iops_vs_buffered"] = ratio(r["iops"],
                                      get(find(rows, **dict(same, backend="buffered")), "iops"))
        r["iops_vs_qd1"] = ratio(r["iops"], get(find(rows, **dict(same, qd=1)), "iops"))
    return rows


def io_wakeups_per_mib(rec):
    """gicvm's I/O-thread wake-ups per MiB moved (both directions of the run)."""
    wakeups = rec["gicvm"].get("gicvm", {}).get("io_wakeups")
    mib = 2 * rec["guest"].get("bytes", 0) / (1 << 20)
    return round(wakeups / mib, 2) if wakeups is not None and mib else None


def net_figure(records):
    rows = []
    for r in records:
        if r["figure"] == "net":
            r["config"].setdefault("backend", "tap")
    groups = group(records, "net", ["transport", "backend", "direction"])
    for (transport, backend, direction), runs in sorted(groups.items()):
        row = {"transport": transport, "backend": backend, "direction": direction,
               "mib_s": spread([r["guest"].get("mib_s") for r in runs]),
               "bytes": spread([r["guest"].get("bytes") for r in runs])}
        if direction == "h2g":
            row["io_wakeups_per_mib"] = spread([io_wakeups_per_mib(r) for r in runs])
        rows.append(row)
    for r in rows:
        mmio = find(rows, transport="mmio", backend="tap", direction=r["direction"])
        tap = find(rows, transport=r["transport"], backend="tap", direction=r["direction"])
        r["mib_s_vs_mmio"] = ratio(r["mib_s"], get(mmio, "mib_s"))
        r["mib_s_vs_tap"] = ratio(r["mib_s"], get(tap, "mib_s"))
    return rows


def memory_figure(records):
    out = {}
    for r in records:
        if r["figure"] == "size":
            out.update(r["guest"])
    rss = [r["gicvm"].get("vmm_rss_kib") for r in records if r["figure"] != "size"]
    out["vmm_rss_kib_all_runs"] = spread(rss)
    return out


def rootfs_figure(records):
    """--rootfs / -- true against a plain initramfs boot; virtio-fs against virtio-blk."""
    runs = [r for r in records if r["figure"] == "rootfs"]
    if not runs:
        return None
    stop = {}
    for r in runs:
        stop.setdefault(r["config"]["run"], []).append(
            r["gicvm"].get("timeline", {}).get("stop_us", 0) / 1000 or None)
    walk = [r["guest"] for r in runs if r["config"]["run"] == "walk" and r["guest"]]
    fig = {"initramfs_ms": spread(stop.get("initramfs", [])),
           "rootfs_true_ms": spread(stop.get("rootfs-true", [])),
           "find_10k_files_ms": spread([g.get("find_ms") for g in walk]),
           "fs_read_256mib_ms": spread([g.get("fs_read_ms") for g in walk]),
           "blk_read_256mib_ms": spread([g.get("blk_read_ms") for g in walk]),
           "blk_find_10k_files_ms": spread([g.get("blk_find_ms") for g in walk])}
    fig["rootfs_true_vs_initramfs"] = ratio(fig["rootfs_true_ms"], fig["initramfs_ms"])
    fig["fs_read_vs_blk_read"] = ratio(fig["fs_read_256mib_ms"], fig["blk_read_256mib_ms"])
    fig["fs_find_vs_blk_find"] = ratio(fig["find_10k_files_ms"], fig["blk_find_10k_files_ms"])
    return fig


def snapshot_figure(records):
    """Cold boot to a held guest's first userspace instruction against a restore of it
    to running, by RAM size; the snapshot's time and its memory file."""
    groups = group(records, "snapshot", ["mem_mib", "run"])
    if not groups:
        return None
    rows = []
    for mem in sorted({k[0] for k in groups}):
        cold, rest = groups.get((mem, "cold"), []), groups.get((mem, "restore"), [])
        first, snap_ms, file_kib, touched_kib = [], [], [], []
        for r in cold:
            g = r["guest"]
            first.append(first_user_ms(r))
            snap_ms.append(g.get("snapshot_ms"))
            file_kib.append(g.get("memory_file_kib"))
            touched_kib.append(r["gicvm"].get("gicvm", {}).get("ram_resident_kib"))
        running = [r["gicvm"].get("timeline", {}).get("first_kvm_run_us", 0) / 1000 or None
                   for r in rest]
        row = {"mem_mib": mem, "cold_first_user_ms": spread(first),
               "restore_to_running_ms": spread(running), "snapshot_ms": spread(snap_ms),
               "memory_file_kib": spread(file_kib), "ram_touched_kib": spread(touched_kib)}
        row["restore_vs_cold"] = ratio(row["restore_to_running_ms"], row["cold_first_user_ms"])
        row["memory_file_vs_touched"] = ratio(row["memory_file_kib"], row["ram_touched_kib"])
        rows.append(row)
    base = rows[0]
    for r in rows:
        r["restore_vs_smallest_ram"] = ratio(r["restore_to_running_ms"],
                                             base["restore_to_running_ms"])
    return rows


def nested_figure(records):
    """guest/nested.c as a guest of the host (L1's place) and as the guest of a
    --nested guest's gicvm (L2): gicvm's start to the first KVM_RUN, the run from there
    to power-off (its timer, IPIs and SPIs), and its SGI round trip; L2's as ratios to
    L1's, measured in the same host."""
    groups = group(records, "nested", ["level"])
    if not groups:
        return None

    def timeline(r, key):
        return r["gicvm"].get("timeline", {}).get(key) or None

    def run_ms(r):
        start, stop = timeline(r, "first_kvm_run_us"), timeline(r, "stop_us")
        return (stop - start) / 1000 if start and stop else None

    levels = {}
    for level in (1, 2):
        recs = groups.get((level,), [])
        levels[level] = {
            "start_ms": spread([(timeline(r, "first_kvm_run_us") or 0) / 1000 or None
                                for r in recs]),
            "run_ms": spread([run_ms(r) for r in recs]),
            "sgi_rtt_ns": spread([r["guest"].get("sgi_rtt_ns") or None for r in recs])}
    l1, l2 = levels[1], levels[2]
    return {"l1": l1, "l2": l2,
            "l2_start_vs_l1": ratio(l2["start_ms"], l1["start_ms"]),
            "l2_run_vs_l1": ratio(l2["run_ms"], l1["run_ms"]),
            "l2_sgi_rtt_vs_l1": ratio(l2["sgi_rtt_ns"], l1["sgi_rtt_ns"])}


def plots(res, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def bars(ax, labels, series, title, ylabel):
        """Grouped bars of medians with min..max whiskers; series: {name: [spread]}."""
        width = 0.8 / max(len(series), 1)
        for i, (name, vals) in enumerate(series.items()):
            xs = [j + i * width for j in range(len(labels))]
            med = [v["median"] if v else 0 for v in vals]
            lo = [v["median"] - v["min"] if v else 0 for v in vals]
            hi = [v["max"] - v["median"] if v else 0 for v in vals]
            ax.bar(xs, med, width, yerr=[lo, hi], capsize=3, label=name)
        ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(labels))])
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.legend(fontsize=7)

    def norm(s, base):
        """A spread divided by a baseline's median: ratios, whiskers included."""
        if not s or not base or not base["median"]:
            return None
        return {k: s[k] / base["median"] for k in ("min", "median", "max")}

    files = []
    boot = res["figures"].get("boot")
    if boot:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        base = find(boot, cpus=1, console="serial") or boot[0]
        cpus = sorted({r["cpus"] for r in boot})
        for ax, key, title in ((axes[0], "first_user_ms", "first userspace instruction"),
                               (axes[1], "poweroff_ms", "power-off")):
            series = {c: [norm(get(find(boot, cpus=n, console=c), key), base[key]) for n in cpus]
                      for c in ("serial", "virtio")}
            bars(ax, [f"{n} vCPU" for n in cpus], series,
                 f"boot: gicvm start to {title}", "relative to 1 vCPU, serial console")
        files.append(save(fig, outdir, "boot.png"))

    exits = res["figures"].get("exits")
    if exits:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        labels = [r["run"] for r in exits]
        causes = ("console", "configuration", "notify", "interrupt")
        bars(axes[0], labels, {c: [r["user_mmio"][c] for r in exits] for c in causes},
             "userspace MMIO exits per run, by cause", "count (symlog)")
        kinds = [k for k in ("mmio_exit_user", "mmio_exit_kernel", "wfi_exit_stat",
                             "hvc_exit_stat") if k in exits[0]["kvm"]]
        bars(axes[1], labels, {k: [r["kvm"].get(k) for r in exits] for k in kinds},
             "KVM exits per run, by kind", "count (symlog)")
        for ax in axes:
            ax.set_yscale("symlog")
            ax.tick_params(axis="x", labelsize=7, rotation=30)
        files.append(save(fig, outdir, "exits.png"))

    irq = res["figures"].get("irq")
    if irq:
        fig, ax = plt.subplots(figsize=(8, 4))
        transports = sorted({r["transport"] for r in irq})
        series = {}
        for inject in ("irqfd", "ioctl"):
            for what, key in (("blk round trip", "blk_round_trip_ns"),
                              ("blk qd32 IOPS", "blk_qd32_iops"),
                              ("IPI round trip (control)", "ipi_round_trip_ns")):
                vals = []
                for t in transports:
                    vals.append(norm(get(find(irq, transport=t, inject=inject), key),
                                     get(find(irq, transport=t, inject="irqfd"), key)))
                series[f"{what}, {inject}"] = vals
        bars(ax, transports, series, "--irq-inject ioctl against irqfd (1.0: no difference)",
             "median / irqfd's median")
        files.append(save(fig, outdir, "irq.png"))

    blk = res["figures"].get("blk")
    if blk:
        fig, ax = plt.subplots(figsize=(11, 4))
        cases = sorted({(r["pattern"], r["qd"]) for r in blk})
        series = {}
        for t in ("mmio", "pci"):
            for b in ("buffered", "direct"):
                series[f"{t}, {b}"] = [
                    norm(get(find(blk, pattern=p, qd=q, transport=t, backend=b), "iops"),
                         get(find(blk, pattern=p, qd=q, transport="mmio", backend="buffered"),
                             "iops"))
                    for p, q in cases]
        bars(ax, [f"{p}\nqd{q}" for p, q in cases], series,
             "virtio-blk 4 KiB IOPS, relative to mmio + buffered", "IOPS / mmio buffered")
        files.append(save(fig, outdir, "blk.png"))

    net = res["figures"].get("net")
    if net:
        fig, ax = plt.subplots(figsize=(6, 4))
        dirs = sorted({r["direction"] for r in net})
        configs = sorted({(r["transport"], r["backend"]) for r in net})
        series = {f"{t} {b}": [norm(get(find(net, transport=t, backend=b, direction=d), "mib_s"),
                                    get(find(net, transport="mmio", backend="tap", direction=d),
                                        "mib_s")) for d in dirs]
                  for t, b in configs}
        bars(ax, dirs, series, "virtio-net TCP throughput, relative to mmio + tap",
             "MiB/s / mmio tap's")
        files.append(save(fig, outdir, "net.png"))
    return files


def save(fig, outdir, name):
    fig.tight_layout()
    fig.savefig(f"{outdir}/{name}", dpi=90)
    return name


def fmt(s, scale=1, digits=0):
    if not s:
        return "-"
    return "/".join(f"{s[k] / scale:.{digits}f}" for k in ("min", "median", "max"))


def table(res):
    f = res["figures"]
    print(f"gicvm bench ({res['where']}, {res['repeats']} repeats; min/median/max)")
    for r in f.get("boot", []):
        print(f"  boot {r['cpus']} vCPU {r['console']:6}: first user x{r['first_user_vs_1cpu_serial']}"
              f"  power-off x{r['poweroff_vs_1cpu_serial']}  vmm start-up share"
              f" {r['vmm_startup_share_of_first_user']}")
    for r in f.get("exits", []):
        u, k = r["user_mmio"], r["kvm"]
        print(f"  exits {r['run']:18}: user MMIO: console {fmt(u['console'])} config"
              f" {fmt(u['configuration'])} notify {fmt(u['notify'])} irq {fmt(u['interrupt'])};"
              f" kernel MMIO {fmt(k.get('mmio_exit_kernel'))} wfi {fmt(k.get('wfi_exit_stat'))}"
              f" hvc {fmt(k.get('hvc_exit_stat'))}")
    for r in f.get("irq", []):
        print(f"  irq {r['transport']:4} {r['inject']:5}: blk round trip x{r['blk_round_trip_vs_irqfd']}"
              f"  qd32 IOPS x{r['blk_qd32_iops_vs_irqfd']}"
              f"  ipi x{r['ipi_round_trip_vs_irqfd']}  ioctls/interrupt"
              f" {fmt(r['inject_ioctls_per_interrupt'], digits=2)}  irq-ack exits/interrupt"
              f" {fmt(r['irq_ack_exits_per_interrupt'], digits=2)}")
    for r in f.get("blk", []):
        print(f"  blk {r['transport']:4} {r['backend']:8} {r['pattern']:10} qd{r['qd']:<2}:"
              f" iops {fmt(r['iops'])}  vs mmio x{r['iops_vs_mmio']}"
              f"  vs buffered x{r['iops_vs_buffered']}  vs qd1 x{r['iops_vs_qd1']}")
    for r in f.get("net", []):
        print(f"  net {r['transport']:4} {r['backend']:5} {r['direction']}:"
              f" MiB/s {fmt(r['mib_s'], digits=1)}  vs mmio x{r['mib_s_vs_mmio']}"
              f"  vs tap x{r['mib_s_vs_tap']}"
              + (f"  I/O wake-ups/MiB {fmt(r['io_wakeups_per_mib'], digits=2)}"
                 if "io_wakeups_per_mib" in r else ""))
    r = f.get("rootfs")
    if r:
        print(f"  rootfs: -- true x{r['rootfs_true_vs_initramfs']} of an initramfs boot;"
              f" find over 10k files {fmt(r['find_10k_files_ms'])} ms, virtio-fs"
              f" x{r['fs_find_vs_blk_find']} of ext4 on virtio-blk;"
              f" 256 MiB read virtio-fs x{r['fs_read_vs_blk_read']} of virtio-blk")
    for r in f.get("snapshot", []):
        print(f"  snapshot {r['mem_mib']:>4} MiB: restore to running x{r['restore_vs_cold']} of a"
              f" cold boot to the same point (x{r['restore_vs_smallest_ram']} of the smallest"
              f" RAM's); snapshot {fmt(r['snapshot_ms'])} ms; memory file"
              f" x{r['memory_file_vs_touched']} of the RAM touched")
    r = f.get("nested")
    if r:
        print(f"  nested: L2 (a guest of a --nested guest) against L1: start x{r['l2_start_vs_l1']},"
              f" run to power-off x{r['l2_run_vs_l1']}, SGI round trip x{r['l2_sgi_rtt_vs_l1']}"
              f" ({fmt(r['l1']['sgi_rtt_ns'])} ns in L1)")
    m = f.get("memory", {})
    print(f"  memory: gicvm RSS without guest RAM {fmt(m.get('vmm_rss_kib_all_runs'))} KiB;"
          f" binary {m.get('bytes', '-')} bytes (text {m.get('text', '-')},"
          f" data {m.get('data', '-')}, bss {m.get('bss', '-')})")


def merge(old, res, names):
    """The figures @names of @res put into @old, a results.json of an
    earlier run, whose other figures, plots and metadata stay; each merged
    figure's own date, version and repeats go in NAME_measured."""
    for name in names:
        if name in res["figures"]:
            old["figures"][name] = res["figures"][name]
            old[f"{name}_measured"] = {k: res[k] for k in
                                       ("date", "gicvm_version", "repeats", "where")}
    return old


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("raw")
    ap.add_argument("outdir")
    ap.add_argument("--where", default="emulated")
    ap.add_argument("--repeats", type=int, default=0)
    ap.add_argument("--version", default="unknown")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--merge", metavar="FIGURE,...",
                    help="only these figures, into the results.json there (plots untouched)")
    a = ap.parse_args()
    with open(a.raw) as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if not records:
        sys.exit("report.py: no measurements in " + a.raw)
    res = {"gicvm_version": a.version, "where": a.where, "repeats": a.repeats,
           "date": time.strftime("%Y-%m-%d"), "figures": {}}
    for name, fn in (("boot", boot_figure), ("exits", exits_figure), ("irq", irq_figure),
                     ("blk", blk_figure),
                     ("net", net_figure), ("rootfs", rootfs_figure),
                     ("snapshot", snapshot_figure), ("nested", nested_figure),
                     ("memory", memory_figure)):
        fig = fn(records)
        if fig:
            res["figures"][name] = fig
    if a.merge:
        # bench/run.sh's "size" is the memory figure; exits come from full runs only.
        names = ["memory" if n == "size" else n for n in a.merge.split(",")]
        missing = [n for n in names if n not in res["figures"]]
        if missing:
            sys.exit("report.py: nothing measured for " + ", ".join(missing))
        with open(f"{a.outdir}/results.json") as fh:
            res = merge(json.load(fh), res, names)
    elif not a.no_plots:
        res["plots"] = plots(res, a.outdir)
    with open(f"{a.outdir}/results.json", "w") as fh:
        json.dump(res, fh, indent=1, sort_keys=True)
    table(res)


if __name__ == "__main__":
    main()
