-- wrk's summary as one JSON line (make bench-serve): requests, errors, seconds, latency
-- percentiles in microseconds.
done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        '{"requests": %d, "errors": %d, "non_2xx": %d, "seconds": %f, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
        summary.requests, errors.connect + errors.read + errors.write + errors.timeout,
        errors.status, summary.duration / 1e6,
        latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
