"""Stage 1 and stage 2 of the third-teacher rule (docs/benchmarks.md, FMNIST-KD): paired validation gains per candidate."""
import json, glob, os, statistics as st
HERE=os.path.dirname(os.path.abspath(__file__))
R=os.path.join(HERE,'..','leak-free-validation','')
L=HERE+os.sep
files={1:[R+'val-K1.json',R+'val-K1-a05.json',L+'val2-K1-T2a05-s456.json'],
       2:[R+'val-K2-s12.json',R+'val-K2-s3.json',R+'val-K2-a05.json',L+'val2-K2-T23a03-s456.json'],
       3:[L+'val2-K3-s123.json',L+'val2-K3-s45.json',L+'val2-K3-s6.json']}
gains={}
for K,fs in files.items():
    for f in fs:
        if not os.path.exists(f): print('missing',f); continue
        d=json.load(open(f))
        plain={r['seed']:r['test_accuracy'] for r in d['runs'] if r['arm']=='sweep-plain'}
        for r in d['runs']:
            if r['arm']=='sweep-plain': continue
            key=(K,r['temperature'],r['alpha'])
            g=100*(r['test_accuracy']-plain[r['seed']])
            gains.setdefault(key,{})[r['seed']]=g
best3=max(st.mean([v[s] for s in (1,2,3)]) for v in gains.values())
print('stage1 best %.4f threshold %.4f'%(best3,best3-0.15))
rows=[]
for k,v in sorted(gains.items()):
    m3=st.mean([v[s] for s in (1,2,3)])
    s456=[v[s] for s in (4,5,6) if s in v]
    m6=st.mean([v[s] for s in range(1,7)]) if len(v)>=6 else float('nan')
    rows.append((k,m3,s456,m6, m3>=best3-0.15))
    print(k,'s1-3 %.3f'%m3, 'in' if m3>=best3-0.15 else '  ', 's4-6',['%.2f'%x for x in s456], 'm6 %.3f'%m6)

print()
print('| K teachers | T, α | stage 1: seeds 1–3 (pt) | seeds 4 · 5 · 6 (pt) | mean of six seeds (pt) |')
print('|---|---|---|---|---|')
for (k,m3,s456,m6,inn) in rows:
    if not inn: continue
    K,T,a=k
    print('| %d | %g, %g | %+.2f | %s | **%+.2f** |'%(K,T,a,m3,' · '.join('%+.2f'%x for x in s456),m6))
# K3 stage1 table per seed
d=json.load(open(L+'val2-K3-s123.json'))
plain={r['seed']:r['test_accuracy'] for r in d['runs'] if r['arm']=='sweep-plain'}
print()
for T in (2,3,4):
  for a in (0.3,0.5):
    rs=[r for r in d['runs'] if r['arm']!='sweep-plain' and r['temperature']==T and r['alpha']==a]
    rs.sort(key=lambda r:r['seed'])
    acc=[100*r['test_accuracy'] for r in rs]; g=[100*(r['test_accuracy']-plain[r['seed']]) for r in rs]
    print('| 3 | %g, %g | %.2f ± %.2f %% | %s | %+.2f ± %.2f (%s) |'%(T,a,st.mean(acc),st.stdev(acc),' · '.join('%.2f'%x for x in acc),st.mean(g),st.stdev(g),', '.join('%+.2f'%x for x in g)))
