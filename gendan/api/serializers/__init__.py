"""Input serializers list exactly the fields each action accepts (ASVS 15.3.3, no mass
assignment); output serializers list exactly what is shown. Neither holds a business rule:
validation beyond types and shapes is the services' job."""
