"""Make a 1,000,000-opportunity database for the Ask speed bar by replicating the 20k demo 50x in SQL.

    cp /tmp/dealwise-ask-bench/demo.db /tmp/dealwise-ask-bench/big.db && python3 benchmarks/ask_scale_db.py
"""
import sqlite3
import time

con = sqlite3.connect('/tmp/dealwise-ask-bench/big.db')
con.execute("PRAGMA journal_mode=OFF")
con.execute("PRAGMA synchronous=OFF")


def cols(t):
    return [r[1] for r in con.execute(f"PRAGMA table_info({t})")]



N, K = 20000, 49
NL = con.execute("select max(id) from leads").fetchone()[0]
NO = con.execute("select max(id) from orders").fetchone()[0]
cte = f"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM k WHERE n < {K}) "
def copy(table, shift, where=""):
    c = cols(table)
    sel = [shift.get(x, f"t.{x}") for x in c]
    sql = f"{cte} INSERT INTO {table} ({', '.join(c)}) SELECT {', '.join(sel)} FROM {table} t, k {where}"
    t0 = time.time()
    con.execute(sql)
    con.commit()
    print(table, round(time.time() - t0, 1), flush=True)



copy("leads", {"id": f"t.id + k.n*{NL}", "converted_opportunity_id": f"t.converted_opportunity_id + k.n*{N}"})
copy("opportunities", {"id": f"t.id + k.n*{N}", "lead_id": f"t.lead_id + k.n*{NL}"}, f"WHERE t.id <= {N}")
copy("opportunity_stage_history", {"id": "NULL", "opportunity_id": f"t.opportunity_id + k.n*{N}"}, f"WHERE t.opportunity_id <= {N}")
copy("activities", {"id": "NULL", "opportunity_id": f"t.opportunity_id + k.n*{N}"}, f"WHERE t.opportunity_id <= {N}")
copy("tasks", {"id": "NULL", "opportunity_id": f"t.opportunity_id + k.n*{N}", "source_activity_id": "NULL"}, f"WHERE t.opportunity_id <= {N}")
copy("orders", {"id": f"t.id + k.n*{NO}", "opportunity_id": f"t.opportunity_id + k.n*{N}"}, f"WHERE t.id <= {NO}")
copy("collections", {"id": "NULL", "order_id": f"t.order_id + k.n*{NO}", "opportunity_id": f"t.opportunity_id + k.n*{N}"}, f"WHERE t.order_id <= {NO}")
t0 = time.time()
con.execute("ANALYZE")
con.commit()
print("analyze", round(time.time() - t0, 1))
print(con.execute("select count(*) from opportunities").fetchone())
