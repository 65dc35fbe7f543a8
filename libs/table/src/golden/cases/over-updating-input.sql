-- Done better than Flink: an OVER aggregation over an updating input (Flink rejects it; Nexmark q6 needs it)
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SELECT user_id, cnt,
  SUM(cnt) OVER (ORDER BY user_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair_sum
FROM (SELECT user_id, COUNT(*) AS cnt FROM clicks GROUP BY user_id);
