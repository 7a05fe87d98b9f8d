import json, sys, glob, statistics as st, collections
# usage: agg.py files... ; prints a markdown table of medians across files
vals = collections.defaultdict(lambda: collections.defaultdict(list))
order = []
for f in sys.argv[1:]:
    rep = json.load(open(f))
    for r in rep['results']:
        if not r.get('verified') or r.get('error'):
            continue
        k = (r['kernel'], r['shape'], r['dtype'])
        if k not in order:
            order.append(k)
        vals[k][r['backend']].append(r)
def rate(r):
    if r['flops'] and r['bytes'] and r['flops'] / r['bytes'] >= 1:
        return r['gflops'], 'GFLOP/s'
    return r['gbps'], 'GB/s'
peers = ['openblas', 'gonum']
print('| kernel | shape | dtype | unit | cpu | openblas | cpu/openblas (per run) | gonum | cpu/gonum |')
print('|---|---|---|---|---:|---:|---|---:|---:|')
for k in order:
    v = vals[k]
    if 'cpu' not in v:
        continue
    ours = v['cpu']
    unit = rate(ours[0])[1]
    row = [k[0], k[1], k[2], unit, '%.1f' % st.median(rate(r)[0] for r in ours)]
    for p in peers:
        if p not in v:
            row += ['', '']
            continue
        theirs = v[p]
        # ratios pair runs file by file (same run, interleaved)
        n = min(len(ours), len(theirs))
        ratios = [theirs[i]['median_ns'] / ours[i]['median_ns'] for i in range(n)]
        cell = '**%.2f×**' % st.median(ratios)
        if p == 'openblas' and n > 1:
            cell += ' (' + ', '.join('%.2f' % x for x in ratios) + ')'
        row += ['%.1f' % st.median(rate(r)[0] for r in theirs), cell]
    print('| ' + ' | '.join(row) + ' |')
