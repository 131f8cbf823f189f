"""Languages: which ones ship, the catalogues, the language of the current render, and the
formats of numbers and times. It depends on Babel only, so every layer may use it: the domain
marks its messages with `Text`, which stay English text until a page or push renders them."""
