(module (func (export "gc")))
