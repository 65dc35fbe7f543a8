-- fail: Expression 'url' is not being grouped
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SELECT user_id, url, COUNT(*) FROM clicks GROUP BY user_id;
