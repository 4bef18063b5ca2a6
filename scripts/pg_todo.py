#!/usr/bin/env python3
# Writes src/store/pg/pg_todo.c: the operations of store_ops.h that no other src/store/pg/*.c defines yet (each logs
# and fails). Run after porting a family (or after a merge) until the file lists nothing and can go.
import os, re, sys, subprocess
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src=open(ROOT + '/src/store/store_ops.h').read()
# join continuation lines
body=src.replace('\\\n',' ')
ops=re.findall(r'X\((int|void),\s*(\w+),\s*(\((?:[^()]|\([^()]*\))*\))', body)
done=set()
import glob
for f in glob.glob(ROOT + '/src/store/pg/*.c'):
    if f.endswith('pg_todo.c'): continue
    for m in re.finditer(r'^(?:int|void) pgs_(\w+)\(', open(f).read(), re.M):
        done.add(m.group(1))
out=['/* PostgreSQL backend: the operations not yet ported (each logs and fails); this list shrinks family by family. */',
'#include "store/pg/pg_int.h"','#include "core/err.h"','#include "core/log.h"','',
'static int not_yet(const char *op)','{','\tlog_error("store: %s is not available on PostgreSQL yet", op);','\treturn Q_ERR;','}','']
for ret,name,params in ops:
    if name in done: continue
    out.append('%s pgs_%s%s' % (ret,name,re.sub(r'\s+',' ',params)))
    out.append('{')
    out.append('\t(void)st;')
    out.append('\treturn not_yet("%s");' % name)
    out.append('}')
    out.append('')
open(ROOT + '/src/store/pg/pg_todo.c','w').write('\n'.join(out))
print(len(ops), len(done))
