from django.contrib import admin

from gendan.documents.models import Attachment

admin.site.register(Attachment)
