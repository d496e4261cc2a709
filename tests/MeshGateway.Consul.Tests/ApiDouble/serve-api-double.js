// Serves HashiCorp's Consul API double (@hashicorp/api-double with the @hashicorp/consul-api-double templates, MPL-2.0)
// on 127.0.0.1 only, on a free port, and prints "listening <port>". Used by ApiDoubleShapeTests; the responses carry
// random public addresses, which the tests parse and never dial.
// usage: node serve-api-double.js <folder holding node_modules>
'use strict';
const path = require('path');
const fs = require('fs');
const util = require('util');

const modules = path.join(process.argv[2], 'node_modules');
const load = (name) => require(path.join(modules, name));
const templates = path.join(modules, '@hashicorp', 'consul-api-double');
const double = load('@hashicorp/api-double')('meshgateway', templates, util.promisify(fs.readFile), process.env, path.resolve);

const app = load('express')();
app.use((request, response, next) => { response.set({ 'Content-Type': 'application/json' }); next(); });
app.use(load('cookie-parser')());
app.use(load('body-parser').text({ type: '*/*' }));
app.use(double().serve);
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
