-- INSERT INTO a filesystem table (exactly-once file sink), then read it back
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

CREATE TABLE per_url (url STRING, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '${TMP}/per-url', 'format' = 'json');

INSERT INTO per_url
SELECT url, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' HOUR))
GROUP BY url, window_start, window_end;

SELECT url, n FROM per_url;
