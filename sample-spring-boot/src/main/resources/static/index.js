// Opens the sample's screen, passing on the address's query (a screen's ?token= and ?screen=).
location.replace('/screens/streams' + location.search);
