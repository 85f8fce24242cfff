// Benchmark upstream for run-benchmark.sh: answers every request at once with a small JSON body,
// standing in for compute-service's GET /regions. Usage: node upstream.js <port>
const http = require('http');
const body = Buffer.from(JSON.stringify({
  data: [
    { id: 'us-east-1', name: 'US East (Virginia)' },
    { id: 'eu-west-1', name: 'EU West (Ireland)' },
    { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' }
  ],
  has_more: false
}));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2]), '127.0.0.1');
