// Opens the first screen of the screens file (the sample's own, or --screens FILE), passing on
// the address's query (a screen's ?token= and ?screen=).
(function () {
  var token = new URLSearchParams(location.search).get('token');
  var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/' +
    (token ? '?token=' + encodeURIComponent(token) : '');
  var client = wsproducer.connect(url, {});
  client.subscribe('wsproducer.screens', function (value) {
    var first = (value.screens || [])[0] || (value.playlists || [])[0];
    client.close();
    location.replace(first ? '/screens/' + encodeURIComponent(first.name) + location.search : '/screens');
  });
})();
