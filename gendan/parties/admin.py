from django.contrib import admin

from gendan.parties.models import Contact, Customer, Supplier

admin.site.register(Customer)
admin.site.register(Supplier)
admin.site.register(Contact)
