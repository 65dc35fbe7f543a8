-- Top-2 users by click count: a Top-N over a GROUP BY (an updating input)
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SELECT user_id, cnt, rn FROM (
  SELECT user_id, cnt, ROW_NUMBER() OVER (ORDER BY cnt DESC, user_id ASC) AS rn
  FROM (SELECT user_id, COUNT(*) AS cnt FROM clicks GROUP BY user_id)
) WHERE rn <= 2;
