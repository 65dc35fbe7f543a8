-- INSERT INTO a partitioned filesystem table (Nexmark q10's options): rows go under
-- dt=<day>/hm=<hh:mm> (':' escaped as %3A, as Flink), without the partition columns in the files;
-- reading the table back fills them in from the directories
CREATE TABLE bids (
  bidtime TIMESTAMP(3),
  price DECIMAL(10, 2),
  item STRING,
  supplier_id STRING,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/bids.csv', 'format' = 'csv');

CREATE TABLE bid_log (
  item STRING,
  price DECIMAL(10, 2),
  dt STRING,
  hm STRING
) PARTITIONED BY (dt, hm) WITH (
  'connector' = 'filesystem',
  'path' = 'file://${TMP}/bid/',
  'format' = 'csv',
  'sink.partition-commit.trigger' = 'partition-time',
  'sink.partition-commit.delay' = '1 min',
  'sink.partition-commit.policy.kind' = 'success-file',
  'partition.time-extractor.timestamp-pattern' = '$dt $hm:00',
  'sink.rolling-policy.rollover-interval' = '1min',
  'sink.rolling-policy.check-interval' = '1min'
);

INSERT INTO bid_log
SELECT item, price, DATE_FORMAT(bidtime, 'yyyy-MM-dd'), DATE_FORMAT(bidtime, 'HH:mm') FROM bids;

SELECT * FROM bid_log;

-- one partition's directory read as a plain table: only the data columns are in its files
CREATE TABLE one_partition (item STRING, price DECIMAL(10, 2))
WITH ('connector' = 'filesystem', 'path' = '${TMP}/bid/dt=2020-04-15/hm=08%3A11', 'format' = 'csv');

SELECT * FROM one_partition;
