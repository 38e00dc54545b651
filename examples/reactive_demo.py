"""A tour of Lepta's reactive core in the terminal: a small shopping cart.

    ./dev demo

Signals hold state, memos derive from it, effects react to it. Watch which lines
print after each change: only the effects whose inputs really changed re-run.
"""

from lepta import Effect, Memo, Owner, RwSignal, batch, flush, on_cleanup


def main() -> None:
    with Owner() as app:
        prices = {"apple": 0.5, "bread": 2.25, "coffee": 9.5}
        cart = RwSignal({"apple": 2})
        discount = RwSignal(0.0)

        subtotal = Memo(lambda: sum(prices[item] * n for item, n in cart().items()))
        total = Memo(lambda: round(subtotal() * (1 - discount()), 2))
        free_shipping = Memo(lambda: total() >= 10)

        Effect(lambda: print("  [total]    %.2f" % total()))

        def shipping_banner() -> None:
            print("  [shipping] %s" % ("free!" if free_shipping() else "3.50"))
            on_cleanup(lambda: print("  [shipping] (banner replaced)"))

        Effect(shipping_banner)

        print("Start:")
        flush()

        print("\nAdd a coffee (total crosses 10, both effects run):")
        cart.update(lambda c: {**c, "coffee": 1})
        flush()

        print("\nAdd an apple (the total changes, shipping stays free: one effect runs):")
        cart.update(lambda c: {**c, "apple": c["apple"] + 1})
        flush()

        print("\nA 50% discount and more bread in one batch (effects run once, at the end):")
        with batch():
            discount.set(0.5)
            cart.update(lambda c: {**c, "bread": 2})

        print("\nClosing the app disposes everything it owns:")
    app.dispose()


if __name__ == "__main__":
    main()
