-- fail: line 3, column 1: CREATE FUNCTION f: the function class 'com.example.Missing' is not known (known: com.github.nexmark.flink.udf.CountChar). Provide its implementation with TableEnvironment.create({ functionClasses: { 'com.example.Missing': { kind: 'scalar', fn, resultType } } }) or tEnv.registerFunctionClass('com.example.Missing', ...).

CREATE FUNCTION f AS 'com.example.Missing';
