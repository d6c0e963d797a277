#!/usr/bin/env python3
"""Summarises flight recordings of a benchmark run: CPU samples (jdk.ExecutionSample) and allocation samples
(jdk.ObjectAllocationSample, by weight) grouped by top frame, by the first frame of the library under test, and by
both; and allocation by class. Needs the JDK's `jfr` on the PATH.

Usage: jfr_top_sites.py REC.jfr[,REC2.jfr...] [ROWS] [PACKAGE_PREFIX]   (prefix default io/raftbus; io/microraft)"""
import collections
import json
import subprocess
import sys

f = sys.argv[1]
def events(name):
    evs = []
    for one in f.split(','):
        out = subprocess.run(['jfr','print','--json','--stack-depth','64','--events',name,one],capture_output=True,text=True).stdout
        evs += json.loads(out)['recording']['events']
    return evs
def fr(frame):
    m = frame['method']; return m['type']['name'].split('/')[-1]+'.'+m['name']
PREFIX = sys.argv[3] if len(sys.argv) > 3 else 'io/raftbus'


def first_app(frames):
    for x in frames:
        t = x['method']['type']['name']
        if t.startswith(PREFIX) and '/benchmarks/' not in t:
            return fr(x)
    return '(no library frame)'
def report(title, evs, weight):
    tot = sum(weight(e) for e in evs)
    for label, key in [('top frame', lambda fs: fr(fs[0]) if fs else '?'), ('first library frame', first_app),
                       ('top frame < first library frame', lambda fs: (fr(fs[0]) + ' < ' + first_app(fs)) if fs else '?')]:
        c = collections.Counter()
        for e in evs:
            fs = e['values']['stackTrace']['frames'] if e['values'].get('stackTrace') else []
            c[key(fs)] += weight(e)
        print(f'## {title}: by {label} (total {tot:,.0f})')
        for k, v in c.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 15):
            print(f'{100*v/tot:5.1f}%  {k}')
    print()
ex = events('jdk.ExecutionSample')
threads = collections.Counter(e['values']['sampledThread']['javaName'] for e in ex)
print('execution samples by thread:', threads.most_common(10)); print()
report('CPU samples', ex, lambda e: 1)
al = events('jdk.ObjectAllocationSample')
c = collections.Counter()
for e in al: c[e['values']['objectClass']['name']] += e['values']['weight']
tot = sum(c.values())
print('## allocation by class (weight total %s bytes)' % f'{tot:,}')
for k, v in c.most_common(12): print(f'{100*v/tot:5.1f}%  {k}')
print()
report('allocation', al, lambda e: e['values']['weight'])
