// Folds the frames a real hub sent (a JSON array in the file named by the first argument) with
// the browser client's logic and checks every update's checksum: exits 1 naming the first frame
// whose sum the client does not reproduce. Run by ClientScriptTest.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const wsproducer = require(path.join(__dirname, '../../../../producer-core/src/main/resources/META-INF/resources/wsproducer/wsproducer.js'));

const frames = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')).map((text) => JSON.parse(text));
const topics = {};
let checked = 0;
for (const msg of frames) {
  if (msg.type === 'hello') {
    for (const d of msg.topics) {
      topics[d.name] = new wsproducer.Topic(d.name, d.size || 50);
      topics[d.name].kind = d.state;
    }
  } else if (msg.topic in topics) {
    if (msg.sum !== undefined) checked++;
    if (!topics[msg.topic].apply(msg, 0)) {
      console.log('the client does not reproduce ' + JSON.stringify(msg));
      process.exit(1);
    }
  }
}
console.log(checked + ' sums checked');
