const wall = wsproducer.connect();
const show = (id, text) => (document.getElementById(id).textContent = text);

wall.subscribe(
  'orders',
  (orders) => {
    show('open', orders.open ? orders.open.n : 0);
    show('shipped', orders.shipped ? orders.shipped.n : 0);
  },
  (status) => show('status', status.error || (status.stale ? 'data is old' : ''))
);
wall.subscribe('clock', (clock) => show('clock', clock.time));
