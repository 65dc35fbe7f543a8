-- EXPLAIN shows each operator's changelog mode: the aggregation turns inserts into updates
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

EXPLAIN SELECT user_id, COUNT(*) AS cnt FROM clicks WHERE url <> '/pay' GROUP BY user_id;
